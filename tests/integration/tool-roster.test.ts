import type { LoaderFunctionArgs } from "@remix-run/node";
import { desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { auditLog } from "#db/schema";
import { toolRoster } from "~/access/tool-roster.server";
import { recordExternalCertificate, revokeCertificate } from "~/certification/certificates.server";
import { publishRelease } from "~/content/publish.server";
import * as page from "~/routes/tools_.$toolId.people";
import * as csv from "~/routes/tools_.$toolId.people[.csv]";
import { catalogTool, makeBundle, safeUseTrack } from "../helpers/content";
import { createDepartment, createUser, get } from "../helpers/factories";

const DAY = 86_400_000;
const safeUse = safeUseTrack;
const chat = catalogTool("chat", ["t-safe"], { en: "Chat assistant", ja: "チャットアシスタント" });

let hr: Awaited<ReturnType<typeof createUser>>;
let manager: Awaited<ReturnType<typeof createUser>>;
let direct: Awaited<ReturnType<typeof createUser>>;
let indirect: Awaited<ReturnType<typeof createUser>>;
let outsider: Awaited<ReturnType<typeof createUser>>;
let learner: Awaited<ReturnType<typeof createUser>>;
let sales: string;
let salesEast: string;

beforeAll(async () => {
  await publishRelease(makeBundle({ tracks: [safeUse], tools: [chat] }), { id: null, name: "test" });
  hr = await createUser({ roles: ["hr"] });
  sales = (await createDepartment({ nameJa: "営業本部", nameEn: "Sales" })).id;
  salesEast = (await createDepartment({ nameJa: "東日本営業部", nameEn: "Sales East", parentId: sales })).id;
  const other = (await createDepartment({ nameJa: "経理部", nameEn: "Finance" })).id;
  manager = await createUser({ departmentId: sales, familyName: "山本", givenName: "部長", familyNameKana: "やまもと" });
  direct = await createUser({ managerId: manager.id, departmentId: sales, familyName: "青木", givenName: "直子", familyNameKana: "あおき" });
  indirect = await createUser({ managerId: direct.id, departmentId: salesEast, familyName: "=HYPERLINK(\"x\")", givenName: "次郎", familyNameKana: "いとう" });
  outsider = await createUser({ departmentId: other, familyName: "外部", givenName: "花子", familyNameKana: "そとべ" });
  learner = await createUser();
  await recordExternalCertificate({ userId: direct.id, track: safeUse, passedAt: new Date(Date.now() - 10 * DAY), evidence: "G検定", actorId: hr.id });
  // Expiring within the window (passed a year ago less 20 days).
  await recordExternalCertificate({ userId: outsider.id, track: safeUse, passedAt: new Date(Date.now() - 345 * DAY), evidence: "G検定", actorId: hr.id });
  const revoked = await recordExternalCertificate({ userId: indirect.id, track: safeUse, passedAt: new Date(Date.now() - 10 * DAY), evidence: "G検定", actorId: hr.id });
  await revokeCertificate({ certificateId: revoked.id, reason: "Wrong person", actorId: hr.id });
});

async function call(loader: (args: LoaderFunctionArgs) => unknown, path: string, userId: string, lang = "en"): Promise<Response | unknown> {
  const request = await get(path, userId, { "Accept-Language": lang });
  try {
    return await loader({ request, params: { toolId: path.split("/")[2]! }, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("who may use a tool", () => {
  it("gives HR the company with counts by reason, and a department with the departments under it", async () => {
    const result = await toolRoster("chat", { kind: "company", departmentId: null });
    if (result.kind !== "roster") throw new Error(result.kind);
    const byId = new Map(result.roster.rows.map((r) => [r.id, r]));
    expect(byId.get(direct.id)).toMatchObject({ allowed: true, recertificationDue: false, missing: [] });
    expect(byId.get(outsider.id)).toMatchObject({ allowed: true, recertificationDue: true });
    expect(byId.get(indirect.id)).toMatchObject({ allowed: false, missing: [{ trackId: "t-safe", reason: "certificate-revoked" }] });
    expect(byId.get(learner.id)).toMatchObject({ allowed: false, missing: [{ trackId: "t-safe", reason: "no-certificate" }] });
    expect(result.roster.counts.allowed + result.roster.counts.notAllowed).toBe(result.roster.counts.people);

    const dept = await toolRoster("chat", { kind: "company", departmentId: sales });
    if (dept.kind !== "roster") throw new Error(dept.kind);
    expect(dept.roster.rows.map((r) => r.id).sort()).toEqual([manager.id, direct.id, indirect.id].sort());
    expect(dept.roster.counts).toMatchObject({ people: 3, allowed: 1, notAllowed: 2, byReason: { "no-certificate": 1, "certificate-revoked": 1 } });
  });

  it("gives a manager their reporting line and nobody else", async () => {
    const result = await toolRoster("chat", { kind: "team", managerId: manager.id });
    if (result.kind !== "roster") throw new Error(result.kind);
    expect(result.roster.rows.map((r) => r.id).sort()).toEqual([direct.id, indirect.id].sort());
  });

  it("the page: HR sees the company; a manager only their team, whatever department they ask for", async () => {
    const forHr = (await call(page.loader, "/tools/chat/people?show=allowed", hr.id)) as Awaited<ReturnType<typeof page.loader>>;
    expect(forHr.scope).toBe("company");
    expect(forHr.rows.map((r) => r.id)).toEqual(expect.arrayContaining([direct.id, outsider.id]));
    const forManager = (await call(page.loader, `/tools/chat/people?show=not-allowed&department=${salesEast}`, manager.id)) as Awaited<ReturnType<typeof page.loader>>;
    expect(forManager.scope).toBe("team");
    expect(forManager.rows.map((r) => r.id)).toEqual([indirect.id]);
    expect(forManager.departments).toEqual([]);
  });

  it("refuses a learner the page and the CSV (403), and answers 404 for an unknown tool", async () => {
    expect(((await call(page.loader, "/tools/chat/people", learner.id)) as Response).status).toBe(403);
    expect(((await call(csv.loader, "/tools/chat/people.csv", learner.id)) as Response).status).toBe(403);
    expect(((await call(csv.loader, "/tools/chat/people.csv", outsider.id)) as Response).status).toBe(403);
    expect(((await call(page.loader, "/tools/nope/people", hr.id)) as Response).status).toBe(404);
  });

  it("downloads the roster as Excel-ready CSV in the reader's language, with formula cells neutralised, audit-logged", async () => {
    const response = (await call(csv.loader, `/tools/chat/people.csv?department=${sales}`, hr.id, "ja")) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/filename\*=UTF-8''/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("社員番号,姓,名,氏名,メールアドレス,部署,利用可否,有効期限,再認定の時期,不足している認定");
    expect(lines).toHaveLength(4);
    expect(text).toContain("AI安全利用 基礎：認定の取り消し");
    expect(text).toContain(`'=HYPERLINK`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    const [entry] = await getDb().select().from(auditLog).where(eq(auditLog.action, "export.tool-roster")).orderBy(desc(auditLog.id)).limit(1);
    expect(entry).toMatchObject({ actorId: hr.id, targetId: "chat", details: { rows: 3, complete: true, scope: "company", departmentId: sales } });
  });
});
