import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { auditLog } from "#db/schema";
import { csvStream } from "~/csv/csv-writer";
import { analyseFile, applyText } from "~/org/import/org-import.server";
import { PEOPLE_EXPORT_COLUMNS, peopleExportRows } from "~/org/people-export.server";
import { createUser } from "../helpers/factories";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe("people export", () => {
  it("re-imports cleanly through the org import: no error, no change, leading zeros and formula-like names intact", async () => {
    const hr = await createUser({ roles: ["hr"], employeeNumber: "000900", email: "hr@example.com" });
    const file = [
      "employee_number,family_name,given_name,family_name_kana,given_name_kana,email,department_code,department_name,manager_employee_number,preferred_language,active",
      "000900,人事,担当,ジンジ,タントウ,hr@example.com,HR,\"人事部, 本社\",,ja,true",
      "001002,髙﨑,花子,タカサキ,ハナコ,hanako@example.com,S-1,営業部,000900,en,true",
      "001003,=SUM(1),-太郎,,,taro@example.com,S-1,営業部,001002,,false",
    ].join("\r\n");
    expect(await applyText(file, { via: "command-line", confirmDeactivations: true, actorId: hr.id })).toMatchObject({ kind: "applied" });

    const bytes = await readAll(csvStream(PEOPLE_EXPORT_COLUMNS, peopleExportRows(hr.id)));
    const text = bytes.toString("utf8");
    expect(text.startsWith("\ufeffemployee_number,family_name")).toBe(true);
    expect(text).toContain("\r\n001002,髙﨑,花子,タカサキ,ハナコ,hanako@example.com,S-1,営業部,000900,en,true\r\n");
    expect(text).toContain("001003,'=SUM(1),'-太郎");

    const again = await analyseFile(bytes, { actorId: hr.id });
    expect(again.problems).toEqual([]);
    expect(again.plan).toMatchObject({ created: [], changed: [], deactivated: [], unchanged: 3 });

    const [entry] = await getDb().select().from(auditLog).where(eq(auditLog.action, "export.people"));
    expect(entry).toMatchObject({ actorId: hr.id, details: { rows: 3, complete: true, format: "csv" } });
  });
});
