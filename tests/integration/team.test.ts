import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, desc, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { auditLog, mailOutbox } from "#db/schema";
import { tokyoDay } from "~/assignments/assignment-status";
import { createAssignment } from "~/assignments/assignments.server";
import { recordExternalCertificate } from "~/certification/certificates.server";
import { publishRelease } from "~/content/publish.server";
import { getCurrentRelease } from "~/content/release.server";
import * as page from "~/routes/team";
import * as csv from "~/routes/team[.csv]";
import { compareAttention, summarize } from "~/team/team-view";
import { teamOrder, teamPage, teamPeople } from "~/team/team.server";
import { readToast } from "~/ui/toast.server";
import { catalogTool, makeBundle, practitionerTrack, safeUseTrack } from "../helpers/content";
import { createUser, get, post } from "../helpers/factories";

const DAY = 86_400_000;
const now = new Date();
const day = (offset: number) => tokyoDay(new Date(now.getTime() + offset * DAY));
const chat = catalogTool("chat", ["t-safe"], { en: "Chat assistant", ja: "チャットアシスタント" });
const code = catalogTool("code", ["t-safe", "t-prac"], { en: "Code assistant", ja: "コードアシスタント" });

type U = Awaited<ReturnType<typeof createUser>>;
let hr: U, learner: U, bigBoss: U, manager: U, peer: U;
let overdue: U, busy: U, lead: U, indirect: U, leaver: U, peerReport: U;

const assign = (trackId: string, userIds: string[], dueOn: string) =>
  createAssignment(hr.id, { trackId, scope: "people", departmentIds: [], userIds, dueOn, newHireDays: null });

beforeAll(async () => {
  await publishRelease(makeBundle({ tracks: [safeUseTrack, practitionerTrack], tools: [chat, code] }), { id: null, name: "test" });
  hr = await createUser({ roles: ["hr"] });
  learner = await createUser();
  bigBoss = await createUser({ familyName: "大島", givenName: "社長", familyNameKana: "おおしま" });
  manager = await createUser({ managerId: bigBoss.id, familyName: "山本", givenName: "部長", familyNameKana: "やまもと" });
  peer = await createUser({ managerId: bigBoss.id, familyName: "同僚", givenName: "課長", familyNameKana: "どうりょう" });
  overdue = await createUser({ managerId: manager.id, familyName: "遅延", givenName: "一郎", familyNameKana: "ちえん", preferredLanguage: "en" });
  busy = await createUser({ managerId: manager.id, familyName: "多忙", givenName: "二郎", familyNameKana: "たぼう", preferredLanguage: "ja" });
  lead = await createUser({ managerId: manager.id, familyName: "青木", givenName: "直子", familyNameKana: "あおき" });
  indirect = await createUser({ managerId: lead.id, familyName: '=HYPERLINK("x")', givenName: "次郎", familyNameKana: "いとう" });
  leaver = await createUser({ managerId: manager.id, active: false, familyName: "退職", givenName: "済", familyNameKana: "たいしょく" });
  peerReport = await createUser({ managerId: peer.id, familyName: "他課", givenName: "三郎", familyNameKana: "たか" });

  await assign("t-safe", [overdue.id], day(-3));
  await assign("t-safe", [busy.id, peerReport.id, leaver.id], day(-10));
  await assign("t-prac", [busy.id], day(5));
  await assign("t-safe", [indirect.id], day(30));
  // busy holds an AI Safe Use certificate in its renewal period (passed a year ago less 20 days; a 60-day window).
  await recordExternalCertificate({ userId: busy.id, track: safeUseTrack, passedAt: new Date(now.getTime() - 345 * DAY), evidence: "G検定", actorId: hr.id });
});

async function load(loader: (args: LoaderFunctionArgs) => unknown, path: string, userId: string, lang = "en"): Promise<unknown> {
  const request = await get(path, userId, { "Accept-Language": lang });
  try {
    return await loader({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function remind(personId: string, userId = manager.id): Promise<Response> {
  const request = await post("/team", { intent: "remind", personId }, { userId, headers: { "Accept-Language": "en" } });
  try {
    return (await page.action({ request, params: {}, context: {} } as ActionFunctionArgs)) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function toastOf(response: Response) {
  const cookie = response.headers.get("Set-Cookie")!.split(";")[0]!;
  return (await readToast(new Request("http://localhost/team", { headers: { Cookie: cookie } }))).toast;
}

describe("the manager's team", () => {
  it("lists direct and indirect reports, most in need of attention first, and nobody else", async () => {
    const release = await getCurrentRelease();
    const team = await teamPage(manager.id, release, { status: null, track: null }, 1, 50, now);
    expect(team.people.map((p) => p.id)).toEqual([overdue.id, busy.id, indirect.id, lead.id]);
    expect(team.summary).toEqual({ people: 4, overdue: 1, dueSoon: 1, expiring: 1 });
    expect(team.trackIds).toEqual(["t-safe", "t-prac"]);

    const byId = new Map(team.people.map((p) => [p.id, p]));
    expect(byId.get(indirect.id)).toMatchObject({ direct: false, reportsTo: { id: lead.id, familyName: "青木" } });
    expect(byId.get(overdue.id)).toMatchObject({ direct: true, reportsTo: null, tools: [] });
    expect(byId.get(busy.id)!.cells["t-safe"]).toMatchObject({ status: "certified", expiringSoon: true });
    expect(byId.get(busy.id)!.cells["t-prac"]).toMatchObject({ status: "not-started", dueOn: day(5), expiringSoon: false });
    expect(byId.get(busy.id)!.tools).toEqual(["chat"]);
    expect(byId.get(busy.id)!.attention.map((a) => a.kind)).toEqual(["due-soon", "expiring"]);
    expect(byId.get(overdue.id)!.attention).toEqual([{ kind: "overdue", trackId: "t-safe", dueOn: day(-3), daysLate: 3 }]);
    expect(byId.get(lead.id)!.cells).toEqual({});
  });

  it("orders and counts in SQL exactly as the pure rules do", async () => {
    const release = await getCurrentRelease();
    const order = await teamOrder(bigBoss.id, release, { status: null, track: null }, now);
    const people = await teamPeople(bigBoss.id, order.ids, release, now);
    const ranked = people.map((p) => ({ ...p, cells: Object.values(p.cells) }));
    expect(order.ids).toEqual([...ranked].sort(compareAttention).map((p) => p.id));
    expect(order.summary).toEqual(summarize(ranked, tokyoDay(now)));
    // The manager's manager sees the whole line below them, the peer's team included.
    expect(order.ids).toEqual(expect.arrayContaining([manager.id, peer.id, peerReport.id, indirect.id]));
    expect(order.ids).not.toContain(leaver.id);
  });

  it("filters by status and by track", async () => {
    const release = await getCurrentRelease();
    const ids = async (status: Parameters<typeof teamOrder>[2]["status"], track: string | null) =>
      (await teamOrder(manager.id, release, { status, track }, now)).ids;
    expect(await ids("overdue", null)).toEqual([overdue.id]);
    expect(await ids("due-soon", null)).toEqual([busy.id]);
    expect(await ids("expiring", null)).toEqual([busy.id]);
    expect(await ids("certified", null)).toEqual([busy.id]);
    expect(await ids(null, "t-prac")).toEqual([busy.id]);
    expect(await ids("not-started", "t-safe")).toEqual([indirect.id]);
  });

  it("never shows a peer's team or the manager's own manager", async () => {
    const data = (await load(page.loader, "/team", manager.id)) as Awaited<ReturnType<typeof page.loader>>;
    const ids = data.people.map((p) => p.id);
    expect(ids).not.toContain(peerReport.id);
    expect(ids).not.toContain(peer.id);
    expect(ids).not.toContain(bigBoss.id);
    expect(ids).not.toContain(manager.id);
    const forPeer = (await load(page.loader, "/team", peer.id)) as Awaited<ReturnType<typeof page.loader>>;
    expect(forPeer.people.map((p) => p.id)).toEqual([peerReport.id]);
    // Asking for details of someone outside the line by id gives nothing either.
    expect(await teamPeople(manager.id, [peerReport.id, bigBoss.id], await getCurrentRelease(), now)).toEqual([]);
  });

  it("refuses /team and /team.csv to a learner and to HR without reports (403)", async () => {
    for (const who of [learner, hr]) {
      expect(((await load(page.loader, "/team", who.id)) as Response).status).toBe(403);
      expect(((await load(csv.loader, "/team.csv", who.id)) as Response).status).toBe(403);
      expect((await remind(overdue.id, who.id)).status).toBe(403);
    }
  });

  it("downloads the team as Excel-ready CSV (BOM, CRLF, formula cells neutralised), audit-logged", async () => {
    const response = (await load(csv.loader, "/team.csv", manager.id, "ja")) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/\n/);
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("社員番号,姓,名,氏名,メールアドレス,部署,上長,直属の部下,認定トラック,状況,期限,認定の有効期限,更新期間中,利用できるAIツール");
    // overdue 1 + busy 2 + indirect 1 + lead (no assignment) 1
    expect(lines).toHaveLength(6);
    expect(lines[1]).toContain("遅延,一郎");
    expect(lines[1]).toContain("期限超過");
    expect(text).toContain(`'=HYPERLINK`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(text).not.toContain("他課");
    const [entry] = await getDb().select().from(auditLog).where(eq(auditLog.action, "export.team")).orderBy(desc(auditLog.id)).limit(1);
    expect(entry).toMatchObject({ actorId: manager.id, details: { rows: 5, people: 4, complete: true } });
  });
});

describe("reminding a person", () => {
  it("mails the person in their language about their most urgent open assignment, once a day per track", async () => {
    const first = await remind(overdue.id);
    expect(first.status).toBe(302);
    expect(await toastOf(first)).toMatchObject({ key: "team.remind.sent", kind: "success", values: { track: "AI Safe Use" } });
    const mails = await getDb().select().from(mailOutbox).where(eq(mailOutbox.userId, overdue.id));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: "manager-reminder", language: "en", toAddress: overdue.email });
    expect(mails[0]!.subject).toBe('Manabi: 山本 部長 reminds you that "AI Safe Use" is overdue');
    const [entry] = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "team.remind"), eq(auditLog.targetId, overdue.id)));
    expect(entry).toMatchObject({ actorId: manager.id, details: { trackId: "t-safe", status: "overdue" } });

    const second = await remind(overdue.id);
    expect(second.status).toBe(302);
    expect(await toastOf(second)).toMatchObject({ key: "team.remind.throttled" });
    expect(await getDb().select().from(mailOutbox).where(eq(mailOutbox.userId, overdue.id))).toHaveLength(1);
    const data = (await load(page.loader, "/team", manager.id)) as Awaited<ReturnType<typeof page.loader>>;
    expect(data.targets[overdue.id]).toEqual({ trackId: "t-safe", reminded: true });
    expect(data.targets[busy.id]).toEqual({ trackId: "t-prac", reminded: false });
  });

  it("writes to a Japanese reader in Japanese, about the open track rather than the certified one", async () => {
    expect((await remind(busy.id)).status).toBe(302);
    const [mail] = await getDb().select().from(mailOutbox).where(eq(mailOutbox.userId, busy.id));
    expect(mail).toMatchObject({ kind: "manager-reminder", language: "ja" });
    expect(mail!.subject).toContain("「実践者」の期限は");
    expect(mail!.textBody).toContain("山本 部長さんから");
  });

  it("refuses a person outside the line (403), and sends nothing to an inactive person or one with nothing open", async () => {
    expect((await remind(peerReport.id)).status).toBe(403);
    expect((await remind(bigBoss.id)).status).toBe(403);
    expect((await remind(manager.id)).status).toBe(403);
    expect((await remind("no-such-person")).status).toBe(403);
    expect(await toastOf(await remind(leaver.id))).toMatchObject({ key: "team.remind.inactive", kind: "error" });
    expect(await toastOf(await remind(lead.id))).toMatchObject({ key: "team.remind.nothingOpen" });
    const unwanted = await getDb().select().from(mailOutbox).where(like(mailOutbox.dedupeKey, `manager-reminder:${manager.id}:%`));
    expect(unwanted.map((m) => m.userId).sort()).toEqual([overdue.id, busy.id].sort());
  });

  it("refuses a post without the CSRF token", async () => {
    const request = await post("/team", { intent: "remind", personId: indirect.id }, { userId: manager.id, csrf: false });
    const result = await page.action({ request, params: {}, context: {} } as ActionFunctionArgs).catch((e: unknown) => e);
    expect((result as Response).status).toBe(403);
  });
});
