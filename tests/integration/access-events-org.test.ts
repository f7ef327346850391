import { describe, expect, it } from "vitest";
import { readEvents } from "~/access/events.server";
import { recordExternalCertificate } from "~/certification/certificates.server";
import { publishRelease } from "~/content/publish.server";
import { applyText } from "~/org/import/org-import.server";
import { catalogTool, makeBundle, safeUseTrack } from "../helpers/content";
import { createUser } from "../helpers/factories";

const HEADER = "employee_number,family_name,given_name,family_name_kana,given_name_kana,email,department_code,department_name,manager_employee_number,preferred_language,active";
const safeUse = safeUseTrack;
const chat = catalogTool("chat", ["t-safe"]);

describe("the change feed and the organisation import", () => {
  it("a person the import deactivates loses access in the feed (revoked, inactive); one it reactivates gets it back", async () => {
    await publishRelease(makeBundle({ tracks: [safeUse], tools: [chat] }), { id: null, name: "test" });
    const hr = await createUser({ roles: ["hr"], employeeNumber: "H001", email: "hr@example.com" });
    const stays = await createUser({ employeeNumber: "E001", email: "stays@example.com" });
    const leaves = await createUser({ employeeNumber: "E002", email: "leaves@example.com" });
    for (const p of [stays, leaves]) {
      await recordExternalCertificate({ userId: p.id, track: safeUse, passedAt: new Date(Date.now() - 86_400_000), evidence: "G検定", actorId: hr.id });
    }
    let cursor = Number((await readEvents({ after: 0, limit: 1000 })).nextCursor);
    const row = (n: string, email: string, active: boolean) => `${n},試験,太郎,シケン,タロウ,${email},,,,,${active}`;
    const file = (...rows: string[]) => [HEADER, ...rows].join("\r\n") + "\r\n";

    const out = await applyText(file(row("H001", "hr@example.com", true), row("E001", "stays@example.com", true)), { via: "command-line", confirmDeactivations: true });
    expect(out).toMatchObject({ kind: "applied" });
    let page = await readEvents({ after: cursor, limit: 1000 });
    expect(page.events.map((e) => [e.user.email, e.kind, e.cause])).toEqual([["leaves@example.com", "revoked", "inactive"]]);
    cursor = Number(page.nextCursor);

    await applyText(file(row("H001", "hr@example.com", true), row("E001", "stays@example.com", true), row("E002", "leaves@example.com", true)), {
      via: "command-line",
      confirmDeactivations: true,
    });
    page = await readEvents({ after: cursor, limit: 1000 });
    expect(page.events.map((e) => [e.user.email, e.kind])).toEqual([["leaves@example.com", "granted"]]);
  });
});
