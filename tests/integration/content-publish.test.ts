import { desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { auditLog, contentReleases } from "#db/schema";
import { listReleases, previewAgainstLatest, publishRelease } from "~/content/publish.server";
import { getCurrentRelease } from "~/content/release.server";
import { lesson, makeBundle } from "../helpers/content";
import { createUser } from "../helpers/factories";

// Release numbers are global to the database, so these tests run in order in one file.
describe("publishing content releases", () => {
  it("numbers releases, records who published and what changed, and serves the newest at once", async () => {
    const author = await createUser({ roles: ["author"] });
    const before = (await listReleases(1))[0]?.number ?? 0;
    const first = await publishRelease(makeBundle(), { id: author.id, name: "Author A" });
    expect(first).toMatchObject({ published: true, number: before + 1 });
    if (!first.published) throw new Error("expected a release");
    expect(first.summary.lessons.added).toEqual(["l1", "l2"]);
    expect((await getCurrentRelease())?.number).toBe(before + 1);

    const changed = makeBundle({
      lessons: [lesson("l1", "c1", 0, ["q1"], "2"), lesson("l3", "c1", 1)],
      courses: [{ id: "c1", title: { en: "Course", ja: "コース" }, summary: { en: "S", ja: "概要" }, lessons: ["l1", "l3"] }],
    });
    const second = await publishRelease(changed, { id: author.id, name: "Author A" });
    expect(second).toMatchObject({ published: true, number: before + 2 });
    if (!second.published) throw new Error("expected a release");
    expect(second.summary.lessons).toEqual({ added: ["l3"], changed: ["l1"], removed: ["l2"] });
    expect((await getCurrentRelease())?.lessons.has("l3")).toBe(true);

    const [row] = await getDb().select().from(contentReleases).where(eq(contentReleases.number, before + 2));
    expect(row?.publishedByName).toBe("Author A");
    const audits = await getDb().select().from(auditLog).where(eq(auditLog.action, "content.publish"));
    expect(audits.map((a) => a.targetId)).toContain(String(before + 2));
  });

  it("publishes nothing when the content is the same as the newest release", async () => {
    const latest = (await listReleases(1))[0]!;
    const [row] = await getDb().select({ bundle: contentReleases.bundle }).from(contentReleases).where(eq(contentReleases.number, latest.number));
    const result = await publishRelease(row!.bundle, { id: null, name: "CLI" });
    expect(result).toEqual({ published: false, reason: "unchanged", number: latest.number });
  });

  it("records a translation that may be stale when only one language changed", async () => {
    const base = makeBundle({ lessons: [lesson("l1", "c1", 0, ["q1"], "s"), lesson("l2", "c1", 1, [], "s")] });
    await publishRelease(base, { id: null, name: "CLI" });
    const onlyEnglish = structuredClone(base);
    onlyEnglish.lessons[0]!.sourceHash.en = "en-l1-edited";
    const result = await publishRelease(onlyEnglish, { id: null, name: "CLI" });
    if (!result.published) throw new Error("expected a release");
    const behind = { kind: "lesson", id: "l1", stale: "ja", since: result.number };
    expect(result.stale).toEqual([behind]);
    const [row] = await getDb().select().from(contentReleases).orderBy(desc(contentReleases.number)).limit(1);
    expect(row?.staleTranslations).toEqual([behind]);

    // A later release that leaves the Japanese alone still records it as behind, and so does the draft.
    const otherChange = structuredClone(onlyEnglish);
    otherChange.lessons[1]!.sourceHash.en = "en-l2-edited";
    otherChange.lessons[1]!.sourceHash.ja = "ja-l2-edited";
    const later = await publishRelease(otherChange, { id: null, name: "CLI" });
    if (!later.published) throw new Error("expected a release");
    expect(later.stale).toEqual([behind]);
    expect((await previewAgainstLatest(otherChange)).stale).toEqual([behind]);

    // Updating the Japanese in a later release ends it.
    const caughtUp = structuredClone(otherChange);
    caughtUp.lessons[0]!.sourceHash.ja = "ja-l1-edited";
    expect((await previewAgainstLatest(caughtUp)).stale).toEqual([]);
    const fixed = await publishRelease(caughtUp, { id: null, name: "CLI" });
    if (!fixed.published) throw new Error("expected a release");
    expect(fixed.stale).toEqual([]);
  });

  it("leaves the previous release live when a publish fails part-way", async () => {
    const live = (await listReleases(1))[0]!;
    const broken = makeBundle({ lessons: [lesson("l1", "c1", 0, ["q1"], "fail"), lesson("l2", "c1", 1)] });
    // A publisher id that does not exist makes the audit insert fail after the release row was written.
    await expect(publishRelease(broken, { id: "no-such-user", name: "Ghost" })).rejects.toThrow();
    expect((await listReleases(1))[0]?.number).toBe(live.number);
    expect((await getCurrentRelease())?.number).toBe(live.number);
  });
});
