import { desc, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "#db/client.server";
import { contentReleases, users } from "#db/schema";
import { toolDecision, toolDecisions } from "~/access/decisions.server";
import { grantCourseExemption, recordExternalCertificate, revokeCertificate } from "~/certification/certificates.server";
import { publishRelease } from "~/content/publish.server";
import { getCurrentRelease } from "~/content/release.server";
import type { ContentBundle, Tool, Track } from "~/content/types";
import * as toolsRoute from "~/routes/tools";
import { makeBundle } from "../helpers/content";
import { createUser, get, settle } from "../helpers/factories";

const DAY = 24 * 60 * 60 * 1000;

const exam = { timeLimitMinutes: 20, passPercent: 80, minimums: [], attempts: 3, retakeWaitHours: 24, blueprint: [{ domain: "d1", count: 1 }] };
const safeUse: Track = {
  id: "t-safe",
  title: { en: "AI Safe Use", ja: "AI安全利用 基礎" },
  summary: { en: "Safe use.", ja: "安全な利用です。" },
  courses: ["c1"],
  exam,
  validityMonths: 12,
  recertificationWindowDays: 60,
};
const practitioner: Track = { ...safeUse, id: "t-prac", title: { en: "Practitioner", ja: "実践者" }, validityMonths: 24, recertificationWindowDays: 90 };
const tool = (id: string, requiredTracks: string[]): Tool => ({
  id,
  name: { en: `Tool ${id}`, ja: `ツール ${id}` },
  vendor: { en: "In-house", ja: "自社運用" },
  description: { en: "A tool.", ja: "ツールです。" },
  dataClass: "internal",
  requiredTracks,
  guidance: { en: "- First rule.\n- Second rule.", ja: "- 一つ目のルールです。\n- 二つ目のルールです。" },
});

const bundle = (chatTracks: string[]): ContentBundle =>
  makeBundle({ tracks: [safeUse, practitioner], tools: [tool("chat", chatTracks), tool("code", ["t-safe", "t-prac"])] });

let hr: Awaited<ReturnType<typeof createUser>>;
beforeAll(async () => {
  await publishRelease(bundle(["t-safe"]), { id: null, name: "test" });
  hr = await createUser({ roles: ["hr"] });
});

afterEach(() => {
  vi.useRealTimers();
});

async function decisionOf(userId: string, toolId: string, now?: Date) {
  const result = await toolDecision(userId, toolId, { now, nextSteps: true });
  if (result.kind !== "decided") throw new Error(`no decision: ${result.kind}`);
  return result.decision;
}

const record = (userId: string, track: Track, passedAt = new Date(Date.now() - 10 * DAY)) =>
  recordExternalCertificate({ userId, track, passedAt, evidence: "G検定 2026#1", actorId: hr.id });

describe("the decision on real data", () => {
  it("a learner with no certificate is locked, with the track's courses as the next step", async () => {
    const learner = await createUser();
    const d = await decisionOf(learner.id, "chat");
    expect(d.allowed).toBe(false);
    expect(d.release).toBe((await getCurrentRelease())!.number);
    expect(d.tracks).toEqual([{ trackId: "t-safe", satisfiedBy: null, missing: { kind: "courses", courseIds: ["c1"] } }]);
    expect(d.reasons).toEqual([{ kind: "no-certificate", trackId: "t-safe" }]);
  });

  it("once a certificate row exists the tool is unlocked until its date, to the millisecond", async () => {
    const learner = await createUser();
    const cert = await record(learner.id, safeUse);
    const d = await decisionOf(learner.id, "chat");
    expect(d).toMatchObject({ allowed: true, validUntil: cert.validUntil.toISOString() });
    expect(d.tracks[0]!.satisfiedBy).toMatchObject({ certificateId: cert.id, number: cert.number, validUntil: cert.validUntil.toISOString() });
    expect((await decisionOf(learner.id, "chat", cert.validUntil)).allowed).toBe(true);
    const after = await decisionOf(learner.id, "chat", new Date(cert.validUntil.getTime() + 1));
    expect(after.allowed).toBe(false);
    expect(after.reasons).toEqual([{ kind: "certificate-expired", trackId: "t-safe", certificateId: cert.id, expiredAt: cert.validUntil.toISOString() }]);
  });

  it("a revoked certificate locks the tool at once, with the revocation as the reason", async () => {
    const learner = await createUser();
    const cert = await record(learner.id, safeUse);
    expect((await decisionOf(learner.id, "chat")).allowed).toBe(true);
    await revokeCertificate({ certificateId: cert.id, reason: "不正受験が判明したため", actorId: hr.id });
    const d = await decisionOf(learner.id, "chat");
    expect(d.allowed).toBe(false);
    expect(d.reasons[0]).toMatchObject({ kind: "certificate-revoked", certificateId: cert.id });
  });

  it("one of two tracks leaves the tool locked, showing which track is held", async () => {
    const learner = await createUser();
    const cert = await record(learner.id, safeUse);
    const d = await decisionOf(learner.id, "code");
    expect(d.allowed).toBe(false);
    expect(d.tracks.map((t) => [t.trackId, t.satisfiedBy?.certificateId ?? null, t.missing?.kind ?? null])).toEqual([
      ["t-safe", cert.id, null],
      ["t-prac", null, "courses"],
    ]);
  });

  it("someone else's certificate unlocks nothing for me", async () => {
    const holder = await createUser();
    const me = await createUser();
    await record(holder.id, safeUse);
    expect((await decisionOf(me.id, "chat")).allowed).toBe(false);
  });

  it("an exemption from the courses makes the exam the next step, but does not unlock the tool", async () => {
    const learner = await createUser();
    await grantCourseExemption({ userId: learner.id, trackId: "t-safe", reason: "G検定の合格者のため", actorId: hr.id });
    const d = await decisionOf(learner.id, "chat");
    expect(d.allowed).toBe(false);
    expect(d.tracks[0]!.missing).toEqual({ kind: "exam" });
  });

  it("an inactive person is locked out even with a valid certificate", async () => {
    const learner = await createUser();
    await record(learner.id, safeUse);
    await getDb().update(users).set({ active: false }).where(eq(users.id, learner.id));
    const d = await decisionOf(learner.id, "chat");
    expect(d.allowed).toBe(false);
    expect(d.reasons[0]).toEqual({ kind: "inactive" });
    const code = await decisionOf(learner.id, "code");
    expect(code.tracks[1]!.missing).toEqual({ kind: "inactive" });
  });

  it("answers unknown tools and unknown people without a decision", async () => {
    const learner = await createUser();
    expect(await toolDecision(learner.id, "no-such-tool")).toEqual({ kind: "unknown-tool" });
    expect(await toolDecision("u-nobody", "chat")).toEqual({ kind: "unknown-person" });
  });

  it("decides every tool of the catalog in catalog order, without next steps when not asked", async () => {
    const learner = await createUser();
    const result = await toolDecisions(learner.id);
    if (result.kind !== "decided") throw new Error(result.kind);
    expect(result.decisions.map((d) => d.tool)).toEqual(["chat", "code"]);
    // Without next steps the page's extra queries are skipped and the fallback ("exam") shows.
    expect(result.decisions[0]!.tracks[0]!.missing).toEqual({ kind: "exam" });
  });
});

describe("My AI tools", () => {
  type Data = Awaited<ReturnType<typeof toolsRoute.loader>>;
  const load = async (userId: string, language: "ja" | "en") => {
    const request = await get("/tools", userId, { "Accept-Language": language });
    return settle(() => toolsRoute.loader({ request, params: {}, context: {} }));
  };

  it("shows each tool in the reader's language with its decision, guidance as a list and the titles it links to", async () => {
    const learner = await createUser();
    await record(learner.id, safeUse);
    const { thrown, value } = await load(learner.id, "ja");
    expect(thrown).toBe(false);
    const data = value as Data;
    expect(data.tools.map((t) => [t.id, t.name, t.decision.allowed])).toEqual([
      ["chat", "ツール chat", true],
      ["code", "ツール code", false],
    ]);
    expect(data.tools[0]).toMatchObject({ vendor: "自社運用", dataClass: "internal", guidance: ["一つ目のルールです。", "二つ目のルールです。"] });
    expect(data.trackTitles).toEqual({ "t-safe": "AI安全利用 基礎", "t-prac": "実践者" });
    expect(data.courseTitles).toEqual({ c1: "コース" });
    const en = (await load(learner.id, "en")).value as Data;
    expect(en.tools[0]!.name).toBe("Tool chat");
    expect(en.trackTitles["t-safe"]).toBe("AI Safe Use");
  });

  it("sends a signed-out visitor to sign in", async () => {
    const { thrown, value } = await settle(() => toolsRoute.loader({ request: new Request("http://localhost/tools"), params: {}, context: {} }));
    expect(thrown).toBe(true);
    expect((value as Response).status).toBe(302);
  });
});

// Last: it changes the current release for the rest of the file.
describe("a new release", () => {
  it("that raises a tool's requirements locks people who no longer qualify, in every process within 2 s", async () => {
    const learner = await createUser();
    await record(learner.id, safeUse);
    const before = await decisionOf(learner.id, "chat");
    expect(before.allowed).toBe(true);

    // Another app process publishes: the row appears in the database, and this process's release
    // cache is not told (publishRelease would invalidate it here; a different process cannot).
    const [latest] = await getDb().select().from(contentReleases).orderBy(desc(contentReleases.number)).limit(1);
    const { id: _id, publishedAt: _at, ...row } = latest!;
    await getDb().insert(contentReleases).values({ ...row, number: latest!.number + 1, contentHash: "raised", bundle: bundle(["t-safe", "t-prac"]) });

    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    vi.setSystemTime(Date.now() + 2000);
    const after = await decisionOf(learner.id, "chat", new Date());
    expect(after.release).toBe(latest!.number + 1);
    expect(after.allowed).toBe(false);
    expect(after.tracks.map((t) => [t.trackId, t.satisfiedBy ? "held" : t.missing?.kind])).toEqual([
      ["t-safe", "held"],
      ["t-prac", "courses"],
    ]);
  });
});
