import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDraftAt, draftLessonChanges, draftStatus, publishDraft } from "~/content/authoring.server";
import { listReleases } from "~/content/publish.server";
import { VALID_FIXTURE } from "../unit/content/fixture";
import { createUser } from "../helpers/factories";

const EN = "courses/intro/01-what.en.mdx";
const JA = "courses/intro/01-what.ja.mdx";

// One content folder and one release history: the steps run in order.
describe("a translation left behind on the Authoring page", () => {
  let dir: string;
  let author: Awaited<ReturnType<typeof createUser>>;
  const edit = async (file: string, from: string, to: string) => {
    const full = path.join(dir, file);
    const before = await readFile(full, "utf8");
    expect(before).toContain(from);
    await writeFile(full, before.replace(from, to));
  };

  beforeAll(async () => {
    dir = path.join(await mkdtemp(path.join(os.tmpdir(), "manabi-stale-")), "content");
    await cp(VALID_FIXTURE, dir, { recursive: true });
    author = await createUser({ roles: ["author"] });
  });
  afterAll(async () => {
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  it("is flagged from the release where one language changed until a later release updates the other", async () => {
    expect(await publishDraft(author, { dir })).toMatchObject({ ok: true, published: true });
    const first = (await listReleases(1))[0]!.number;

    // Only the English changes: publishing asks for confirmation, and is refused without it.
    await edit(EN, "It picks a *likely* continuation, again and again.", "It picks a *probable* continuation, again and again.");
    const draft = await draftStatus(dir);
    expect(draft.comparison?.stale).toEqual([{ kind: "lesson", id: "intro-what", stale: "ja", since: first + 1 }]);
    expect(await publishDraft(author, { dir })).toEqual({ ok: false, reason: "stale-unconfirmed", stale: 1 });
    expect((await listReleases(1))[0]!.number).toBe(first);

    // The preview marks the changed block in English, nothing in Japanese, and the Japanese as behind.
    const changes = await draftLessonChanges((await checkDraftAt(dir)).bundle!, "intro-what");
    expect(changes?.sides.en).toMatchObject({ status: "changed", behind: null });
    expect(changes?.sides.en.changedBlocks).toHaveLength(1);
    expect(changes?.sides.ja).toMatchObject({ status: "unchanged", changedBlocks: [], behind: { stale: "ja", since: first + 1 } });

    expect(await publishDraft(author, { dir, confirmStale: true })).toMatchObject({ ok: true, published: true, number: first + 1 });
    expect((await listReleases(1))[0]!.staleTranslations).toEqual([{ kind: "lesson", id: "intro-what", stale: "ja", since: first + 1 }]);

    // The draft is now the live release: the Japanese is still flagged, not only against the release before.
    expect((await draftStatus(dir)).comparison).toMatchObject({ unchanged: true, stale: [{ id: "intro-what", stale: "ja", since: first + 1 }] });

    // Another lesson changes in both languages: the next release still records the Japanese of intro-what as behind.
    await edit("courses/intro/02-safe.en.mdx", "\n\n", "\n\nNew paragraph.\n\n");
    await edit("courses/intro/02-safe.ja.mdx", "\n\n", "\n\n新しい段落です。\n\n");
    expect(await publishDraft(author, { dir, confirmStale: true })).toMatchObject({ ok: true, published: true, number: first + 2 });
    expect((await listReleases(1))[0]!.staleTranslations).toEqual([{ kind: "lesson", id: "intro-what", stale: "ja", since: first + 1 }]);

    // Updating the Japanese ends it: no confirmation needed, nothing recorded.
    await edit(JA, "## ", "## 更新：");
    expect((await draftStatus(dir)).comparison?.stale).toEqual([]);
    expect(await publishDraft(author, { dir })).toMatchObject({ ok: true, published: true, number: first + 3 });
    expect((await listReleases(1))[0]!.staleTranslations).toEqual([]);
  });
});
