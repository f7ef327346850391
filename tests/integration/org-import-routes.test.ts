import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { auditLog, users } from "#db/schema";
import type { DryRunView } from "~/org/import/dry-run-view";
import * as importPage from "~/routes/hr_.import";
import * as peopleCsv from "~/routes/hr_.people[.csv]";
import { createUser, csrfFor, get, post, settle, signedInCookie } from "../helpers/factories";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;
const run = (fn: Loader | Action, request: Request) => settle(() => fn({ request, params: {}, context: {} }));

async function roles() {
  const learner = await createUser();
  const manager = await createUser();
  await createUser({ managerId: manager.id });
  const admin = await createUser({ roles: ["admin"] });
  const author = await createUser({ roles: ["author"] });
  return { learner, manager, admin, author };
}

/** A multipart upload as the page's form sends it. */
async function upload(userId: string, csv: string, fields: Record<string, string> = {}) {
  const cookie = await signedInCookie(userId);
  const csrf = await csrfFor(cookie);
  const form = new FormData();
  form.set("csrf", csrf.token);
  form.set("intent", "check");
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("file", new File([csv], "org.csv", { type: "text/csv" }));
  return new Request("http://localhost/hr/import", { method: "POST", body: form, headers: { Cookie: csrf.cookie } });
}

/** The i18n key of the toast a redirect carries (the cookie is signed, not encrypted). */
function toastKey(response: Response): string {
  const cookie = response.headers.get("Set-Cookie")!.match(/manabi_toast=([^;]+)/)![1]!;
  const payload = decodeURIComponent(cookie).split(".")[0]!;
  return (JSON.parse(decodeURIComponent(escape(atob(payload)))) as { key: string }).key;
}

const viewOf = async (value: unknown) => {
  const d = value as { data: { kind: string; view: DryRunView } };
  return d.data;
};

describe("the org import page and the people export", () => {
  it("are refused to learners, managers, authors and admins without HR (403), and to signed-out visitors", async () => {
    const who = await roles();
    for (const [role, user] of Object.entries(who)) {
      for (const [name, fn, request] of [
        ["import page", importPage.loader, await get("/hr/import", user.id)],
        ["import upload", importPage.action, await upload(user.id, "employee_number\n1\n")],
        ["import apply", importPage.action, await post("/hr/import", { intent: "apply", importId: "imp-x" }, { userId: user.id })],
        ["people export", peopleCsv.loader, await get("/hr/people.csv", user.id)],
      ] as const) {
        const { thrown, value } = await run(fn, request);
        expect(thrown, `${role} ${name}`).toBe(true);
        expect((value as Response).status, `${role} ${name}`).toBe(403);
      }
    }
    const anonymous = await run(peopleCsv.loader, new Request("http://localhost/hr/people.csv"));
    expect((anonymous.value as Response).status).toBe(302);
  });

  it("shows HR every problem with its row, applies a clean file once, and exports people as Excel-ready CSV", async () => {
    const hr = await createUser({ roles: ["hr"], employeeNumber: "H-001", email: "hr.page@example.com" });
    const header = "employee_number,family_name,given_name,family_name_kana,given_name_kana,email,department_code,department_name,manager_employee_number,preferred_language,active";
    const bad = await run(importPage.action, await upload(hr.id, `${header}\r\nH-001,人事,担当,ジンジ,タントウ,hr.page@example.com,,,,ja,true\r\n0002,佐藤,花子,さとう,ハナコ,sato@example.com,,,,ja,true\r\n`));
    const badView = await viewOf(bad.value);
    expect(badView.kind).toBe("checked");
    expect(badView.view).toMatchObject({ errors: 1, importId: null, counts: null, problems: [{ row: 3, code: "notKatakana", column: "family_name_kana" }] });

    const good = `${header}\r\nH-001,人事,担当,ジンジ,タントウ,hr.page@example.com,HR,人事部,,ja,true\r\n0002,佐藤,花子,サトウ,ハナコ,sato@example.com,HR,人事部,H-001,en,true\r\n`;
    const checked = (await viewOf((await run(importPage.action, await upload(hr.id, good, { encoding: "utf-8" }))).value)).view;
    expect(checked).toMatchObject({ errors: 0, counts: { created: 1 }, created: [{ row: 3, employeeNumber: "0002" }] });
    expect(checked.importId).toBeTruthy();

    const apply = async () => (await run(importPage.action, await post("/hr/import", { intent: "apply", importId: checked.importId!, confirm: "yes" }, { userId: hr.id }))).value as Response;
    const first = await apply();
    expect(first.status).toBe(302);
    const second = await apply();
    expect(second.status).toBe(302);
    expect(toastKey(first)).toBe("orgImport.toast.applied");
    expect(toastKey(second)).toBe("orgImport.toast.alreadyApplied");
    expect(await getDb().select().from(users).where(eq(users.employeeNumber, "0002"))).toHaveLength(1);
    const imports = (await getDb().select().from(auditLog).where(eq(auditLog.action, "org.import"))).filter((e) => e.details.importId === checked.importId);
    expect(imports).toHaveLength(1);

    const response = (await run(peopleCsv.loader, await get("/hr/people.csv", hr.id, { "Accept-Language": "en" }))).value as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="people-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain("\r\n0002,佐藤,花子,サトウ,ハナコ,sato@example.com,HR,人事部,H-001,en,true\r\n");
  });
});
