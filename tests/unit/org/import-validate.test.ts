import { describe, expect, it } from "vitest";
import { managerCycles, normaliseValue, validateImportText, type ImportProblem } from "~/org/import/validate";

const HEADER =
  "employee_number,family_name,given_name,family_name_kana,given_name_kana,email,department_code,department_name,manager_employee_number,preferred_language,active";
const csv = (...rows: string[]) => [HEADER, ...rows].join("\r\n") + "\r\n";
const boss = "0001,山田,太郎,ヤマダ,タロウ,yamada@example.com,D1,営業部,,ja,true";

const errors = (text: string) => validateImportText(text).problems.filter((p) => p.severity === "error");
const warnings = (text: string) => validateImportText(text).problems.filter((p) => p.severity === "warning");
const only = (problems: ImportProblem[]) => {
  expect(problems).toHaveLength(1);
  return problems[0]!;
};

describe("a valid organisation file", () => {
  it("gives every person, with employee numbers as text keeping their leading zeros", () => {
    const result = validateImportText(csv(boss, "001002,佐藤,花子,サトウ,ハナコ,sato@example.com,D1,営業部,0001,en,false"));
    expect(result.problems).toEqual([]);
    expect(result.rows).toHaveLength(2);
    expect(result.rows[1]).toEqual({
      row: 3,
      employeeNumber: "001002",
      familyName: "佐藤",
      givenName: "花子",
      familyNameKana: "サトウ",
      givenNameKana: "ハナコ",
      email: "sato@example.com",
      departmentCode: "D1",
      departmentName: "営業部",
      managerEmployeeNumber: "0001",
      preferredLanguage: "en",
      active: false,
    });
  });

  it("takes the columns in any order and leaves out the optional ones", () => {
    const result = validateImportText("email,given_name,employee_number,family_name\nx@example.com,花子,7,佐藤\n");
    expect(result.problems).toEqual([]);
    expect(result.rows[0]).toMatchObject({ employeeNumber: "7", email: "x@example.com", familyNameKana: undefined, active: true });
    expect(result.columns).toEqual(["employee_number", "family_name", "given_name", "email"]);
  });

  it("counts the header as row 1 and a quoted value spanning lines as one row", () => {
    const text = csv('0001,山田,"太郎",ヤマダ,タロウ,yamada@example.com,D1,"営業部",,ja,true', "0002,佐藤,花子,サトウ,ハナコ,bad-email,D1,営業部,,ja,true");
    expect(only(errors(text)).row).toBe(3);
    // A multi-line note in an extra column (ignored): the person after it is still row 3, not 4.
    const multiline = 'employee_number,family_name,given_name,email,notes\r\n1,山田,太郎,y@example.com,"first line\r\nsecond line"\r\n2,佐藤,花子,bad-email,\r\n';
    expect(only(errors(multiline)).row).toBe(3);
    const afterTwo = multiline + '3,a,b,c@example.com,"x\ny\nz"\r\n4,a,b,nope,\r\n';
    expect(errors(afterTwo).map((p) => p.row)).toEqual([3, 5]);
  });

  it("skips blank rows (Excel leaves ,,,, behind) without shifting row numbers", () => {
    const text = csv(boss, ",,,,,,,,,,", "0002,佐藤,花子,サトウ,ハナコ,nope,,,,,");
    const result = validateImportText(text);
    expect(result.problems.map((p) => [p.row, p.code])).toEqual([[4, "badEmail"]]);
  });
});

describe("errors", () => {
  it("an empty file is an error, never 'everyone left'", () => {
    expect(only(errors(""))).toMatchObject({ row: 1, code: "empty" });
    expect(only(errors("\ufeff \r\n"))).toMatchObject({ row: 1, code: "empty" });
  });

  it("a header-only file is an error", () => {
    expect(only(errors(csv()))).toMatchObject({ row: 1, code: "headerOnly" });
    expect(validateImportText(csv()).rows).toEqual([]);
  });

  it("a missing required column is named", () => {
    const problem = only(errors("employee_number,family_name,given_name\n1,a,b\n"));
    expect(problem).toMatchObject({ row: 1, code: "missingColumn", column: "email" });
  });

  it("a column named twice is an error", () => {
    expect(only(errors("employee_number,family_name,given_name,email,email\n1,a,b,c@example.com,d@example.com\n"))).toMatchObject({ code: "duplicateColumn", column: "email" });
  });

  it("a broken quote is a CSV error with its row", () => {
    expect(only(errors(csv(boss, '0002,"佐藤,花子,,,s@example.com,,,,,')))).toMatchObject({ code: "csvSyntax", row: 3 });
  });

  it("a row with more values than the header has columns is refused", () => {
    expect(only(errors(csv(boss + ",extra")))).toMatchObject({ row: 2, code: "columnCount" });
  });

  it("an empty required value is named", () => {
    expect(only(errors(csv("0001,,太郎,,,y@example.com,,,,,")))).toMatchObject({ row: 2, code: "required", column: "family_name" });
  });

  it("duplicate employee numbers, compared after normalisation, name the first row", () => {
    const problem = only(errors(csv(boss, "０００１,佐藤,花子,,,sato@example.com,,,,,")));
    expect(problem).toMatchObject({ row: 3, code: "duplicateEmployeeNumber", params: { value: "0001", firstRow: 2 } });
  });

  it("duplicate emails are found without regard to case", () => {
    const problem = only(errors(csv(boss, "0002,佐藤,花子,,,YAMADA@Example.com,,,,,")));
    expect(problem).toMatchObject({ row: 3, code: "duplicateEmail", params: { firstRow: 2 } });
  });

  it("a bad email is refused", () => {
    for (const email of ["no-at-sign", "two@@example.com", "a b@example.com", "a@example", "a@-example.com"]) {
      expect(only(errors(csv(`0001,山田,太郎,,,${email},,,,,`))).code, email).toBe("badEmail");
    }
  });

  it("kana columns must hold katakana (hiragana and kanji are refused)", () => {
    expect(only(errors(csv("0001,山田,太郎,やまだ,タロウ,y@example.com,,,,,")))).toMatchObject({ code: "notKatakana", column: "family_name_kana" });
    expect(only(errors(csv("0001,山田,太郎,ヤマダ,太郎,y@example.com,,,,,")))).toMatchObject({ code: "notKatakana", column: "given_name_kana" });
  });

  it("an unknown language is refused", () => {
    expect(only(errors(csv("0001,山田,太郎,,,y@example.com,,,,fr,")))).toMatchObject({ code: "unknownLanguage", params: { value: "fr" } });
  });

  it("active must be true or false", () => {
    expect(only(errors(csv("0001,山田,太郎,,,y@example.com,,,,,yes")))).toMatchObject({ code: "badActive", params: { value: "yes" } });
    expect(errors(csv("0001,山田,太郎,,,y@example.com,,,,,FALSE"))).toEqual([]);
  });

  it("values over 100 characters are refused", () => {
    expect(only(errors(csv(`0001,${"山".repeat(101)},太郎,,,y@example.com,,,,,`)))).toMatchObject({ code: "tooLong", column: "family_name", params: { max: 100 } });
    expect(errors(csv(`0001,${"山".repeat(100)},太郎,,,y@example.com,,,,,`))).toEqual([]);
  });

  it("control characters, a line break in a name and bidi overrides are refused", () => {
    expect(only(errors(csv("0001,山\u0007田,太郎,,,y@example.com,,,,,")))).toMatchObject({ code: "controlCharacter", column: "family_name" });
    expect(only(errors(csv('0001,"山\n田",太郎,,,y@example.com,,,,,')))).toMatchObject({ code: "controlCharacter", row: 2 });
    expect(only(errors(csv("0001,山田,\u202etxt.exe,,,y@example.com,,,,,")))).toMatchObject({ code: "controlCharacter", column: "given_name" });
    expect(only(errors(csv("0001,山田,\u2067x,,,y@example.com,,,,,")))).toMatchObject({ code: "controlCharacter" });
  });

  it("an unknown manager is refused", () => {
    expect(only(errors(csv("0002,佐藤,花子,,,s@example.com,,,9999,,")))).toMatchObject({ code: "unknownManager", params: { value: "9999" } });
  });

  it("a person managing themselves is refused", () => {
    expect(only(errors(csv("0002,佐藤,花子,,,s@example.com,,,0002,,")))).toMatchObject({ code: "selfManager" });
  });

  it("a manager cycle names every row in it", () => {
    const text = csv(
      "0001,A,a,,,a@example.com,,,,,",
      "0002,B,b,,,b@example.com,,,0004,,",
      "0003,C,c,,,c@example.com,,,0002,,",
      "0004,D,d,,,d@example.com,,,0003,,",
      "0005,E,e,,,e@example.com,,,0004,,",
    );
    const problem = only(errors(text));
    expect(problem).toMatchObject({ code: "managerCycle", row: 3, params: { rows: "3 → 5 → 4 → 3" } });
  });

  it("finds each cycle once", () => {
    const cycles = managerCycles(new Map([["a", "b"], ["b", "a"], ["c", "a"], ["d", "e"], ["e", "f"], ["f", "d"]]));
    expect(cycles.map((c) => [...c].sort().join())).toEqual(["a,b", "d,e,f"]);
  });

  it("reports problems of several rows at once, sorted by row", () => {
    const result = validateImportText(csv("0001,山田,太郎,,,bad,,,,,", "0002,佐藤,花子,,,s@example.com,,,,xx,maybe"));
    expect(result.problems.map((p) => [p.row, p.code])).toEqual([
      [2, "badEmail"],
      [3, "unknownLanguage"],
      [3, "badActive"],
    ]);
    expect(result.rows).toEqual([]);
  });
});

describe("warnings", () => {
  it("half-width katakana become full-width, with a warning naming the change", () => {
    const result = validateImportText(csv("0001,山田,太郎,ﾔﾏﾀﾞ,ﾀﾛｳ,y@example.com,,,,,"));
    expect(errors(csv("0001,山田,太郎,ﾔﾏﾀﾞ,ﾀﾛｳ,y@example.com,,,,,"))).toEqual([]);
    expect(result.rows[0]).toMatchObject({ familyNameKana: "ヤマダ", givenNameKana: "タロウ" });
    expect(result.problems).toContainEqual({ severity: "warning", row: 2, code: "normalised", column: "family_name_kana", params: { from: "ﾔﾏﾀﾞ", to: "ヤマダ" } });
  });

  it("full-width digits in an employee number become ASCII, leading zeros kept", () => {
    const result = validateImportText(csv("００１００２,山田,太郎,,,y@example.com,,,,,"));
    expect(result.rows[0]!.employeeNumber).toBe("001002");
    expect(only(warnings(csv("００１００２,山田,太郎,,,y@example.com,,,,,")))).toMatchObject({ code: "normalised", column: "employee_number" });
  });

  it("ASCII and ideographic spaces around values are trimmed, with a warning", () => {
    const text = csv("0001,\u3000山田 ,太郎,,,y@example.com,,,,,");
    expect(validateImportText(text).rows[0]!.familyName).toBe("山田");
    expect(only(warnings(text))).toMatchObject({ code: "normalised", column: "family_name" });
  });

  it("an email's domain is lower-cased, with a warning; the local part is kept", () => {
    const text = csv("0001,山田,太郎,,,Taro.Yamada@Example.CO.JP,,,,,");
    expect(validateImportText(text).rows[0]!.email).toBe("Taro.Yamada@example.co.jp");
    expect(only(warnings(text))).toMatchObject({ code: "normalised", column: "email", params: { to: "Taro.Yamada@example.co.jp" } });
  });

  it("unknown extra columns are named and ignored", () => {
    const result = validateImportText("employee_number,family_name,given_name,email,salary,Notes\n1,a,b,c@example.com,900,x\n");
    expect(only(result.problems)).toMatchObject({ severity: "warning", row: 1, code: "unknownColumns", params: { columns: "salary, notes" } });
    expect(Object.keys(result.rows[0]!)).not.toContain("salary");
    expect(JSON.stringify(result.rows)).not.toContain("900");
  });

  it("one department code with two names keeps the first and warns", () => {
    const text = csv(boss, "0002,佐藤,花子,,,s@example.com,D1,営業本部,,,");
    expect(only(warnings(text))).toMatchObject({ row: 3, code: "departmentNameConflict", params: { code: "D1", name: "営業部", firstRow: 2 } });
  });

  it("warnings alone leave the people importable", () => {
    expect(validateImportText(csv("0001,山田 ,太郎,,,y@example.com,,,,,")).rows).toHaveLength(1);
  });
});

describe("normalising a value", () => {
  it("keeps CP932 variant characters and compatibility ideographs of names as written", () => {
    expect(normaliseValue("髙﨑")).toBe("髙﨑");
    expect(normaliseValue("\ufa19田")).toBe("\ufa19田");
  });

  it("applies NFKC to the rest (①, full-width letters, half-width katakana with voicing marks)", () => {
    expect(normaliseValue("①ＡＢｶﾞ")).toBe("1ABガ");
  });
});
