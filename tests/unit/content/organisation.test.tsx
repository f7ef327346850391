import { readFile } from "node:fs/promises";
import path from "node:path";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  ORGANISATION_KEYS,
  organisationFileSchema,
  resolveOrganisation,
  type OrganisationValues,
} from "~/content/organisation";
import type { MdxNode } from "~/content/types";
import { serializeTree } from "~/mdx/compact";
import { LessonBody } from "~/mdx/lesson-body";
import { withFixture } from "./fixture";

const SHIPPED = path.resolve("content/organisation.yaml");
const WHAT_EN = "courses/intro/01-what.en.mdx";
const WHAT_JA = "courses/intro/01-what.ja.mdx";

/** A complete organisation.yaml with a recognisable value per key. */
function organisationYaml(override: (key: string) => string | null = () => null): string {
  const lines = ["values:"];
  for (const key of ORGANISATION_KEYS) {
    const line = override(key);
    if (line !== null) lines.push(line);
    else if (key === "incidentContact")
      lines.push(`  ${key}: { en: "the CSIRT", ja: "CSIRT窓口", href: "mailto:csirt@example.co.jp" }`);
    else lines.push(`  ${key}: { en: "${key} en", ja: "${key} ja" }`);
  }
  return `${lines.join("\n")}\n`;
}

async function shippedValues(): Promise<OrganisationValues> {
  return organisationFileSchema.parse(parse(await readFile(SHIPPED, "utf8"))).values;
}

describe("organisation.yaml", () => {
  it("ships sample values for every key in both languages, with fictional example.co.jp addresses", async () => {
    const values = await shippedValues();
    expect(Object.keys(values).sort()).toEqual([...ORGANISATION_KEYS].sort());
    expect(values.dataClassInternal).toEqual({ en: "Internal", ja: "社外秘" });
    expect(values.dataClassConfidential).toEqual({ en: "Confidential", ja: "極秘" });
    expect(values.incidentContact.href).toMatch(/^mailto:[^@]+@example\.co\.jp$/);
  });

  it("rejects a value missing a language, an unknown key and an unsafe link", () => {
    const base = parse(organisationYaml()) as { values: Record<string, Record<string, string>> };
    const missingJa = structuredClone(base);
    delete missingJa.values.policyName!.ja;
    expect(organisationFileSchema.safeParse(missingJa).success).toBe(false);
    const unknown = structuredClone(base);
    unknown.values.helpDesk = { en: "x", ja: "x" };
    expect(organisationFileSchema.safeParse(unknown).success).toBe(false);
    const script = structuredClone(base);
    script.values.intranetPortal!.href = "javascript:alert(1)";
    expect(organisationFileSchema.safeParse(script).success).toBe(false);
    expect(organisationFileSchema.safeParse(base).success).toBe(true);
  });
});

describe("<Org> in a lesson", () => {
  const tree: MdxNode[] = [
    {
      type: "element",
      name: "p",
      props: {},
      children: [
        { type: "text", value: "Report to " },
        { type: "element", name: "Org", props: { value: "incidentContact" }, children: [] },
        { type: "text", value: " under " },
        { type: "element", name: "Org", props: { value: "policyName" }, children: [] },
        { type: "text", value: "." },
      ],
    },
  ];

  it("renders the value in the lesson's language, as a link when it has an address", async () => {
    const values = await shippedValues();
    const en = renderToStaticMarkup(<LessonBody source={serializeTree(resolveOrganisation(tree, values, "en"))} />);
    expect(en).toContain(`<a href="mailto:csirt@example.co.jp">${values.incidentContact.en}</a>`);
    expect(en).toContain(`>${values.policyName.en}</span>`);
    const ja = renderToStaticMarkup(<LessonBody source={serializeTree(resolveOrganisation(tree, values, "ja"))} />);
    expect(ja).toContain(`>${values.incidentContact.ja}</a>`);
    expect(ja).toContain(`>${values.policyName.ja}</span>`);
  });

  it("renders nothing for an Org the release did not fill in", () => {
    expect(renderToStaticMarkup(<LessonBody source={serializeTree(tree)} />)).toBe(
      '<div class="lesson-body"><p>Report to <span class="org-value" data-org="incidentContact"></span> under <span class="org-value" data-org="policyName"></span>.</p></div>',
    );
  });
});

describe("content:check and organisation.yaml", () => {
  it("fills in every <Org> of a lesson in its language when the release is assembled", async () => {
    const result = await withFixture(async (f) => {
      await f.write("organisation.yaml", organisationYaml());
      await f.replace(WHAT_EN, "## How it writes", 'Report to <Org value="incidentContact" />.\n\n## How it writes');
      await f.replace(WHAT_JA, "## 文章の書き方", '<Org value="incidentContact" />に報告します。\n\n## 文章の書き方');
    });
    expect(result.problems).toEqual([]);
    const lesson = result.bundle!.lessons[0]!;
    const link = (lang: "en" | "ja") => JSON.stringify(lesson.body[lang]);
    expect(link("en")).toContain('{"type":"element","name":"a","props":{"href":"mailto:csirt@example.co.jp"},"children":[{"type":"text","value":"the CSIRT"}]}');
    expect(link("ja")).toContain('"children":[{"type":"text","value":"CSIRT窓口"}]');
    expect(result.bundle!.organisation!.issuerName).toEqual({ en: "issuerName en", ja: "issuerName ja" });
  });

  it("fails on a value missing a language, at that value", async () => {
    const result = await withFixture((f) => f.write("organisation.yaml", organisationYaml((k) => (k === "csirtName" ? '  csirtName: { en: "CSIRT" }' : null))));
    expect(result.problems.map((p) => [p.severity, p.code, p.file, p.line])).toEqual([
      ["error", "schema", "organisation.yaml", result.lineOf("organisation.yaml", "csirtName")],
    ]);
    expect(result.problems[0]!.message).toContain("csirtName");
    expect(result.bundle).toBeNull();
  });

  it("fails on an unknown key in the file, at the key", async () => {
    const result = await withFixture((f) => f.write("organisation.yaml", `${organisationYaml()}  helpDesk: { en: "x", ja: "x" }\n`));
    expect(result.problems.map((p) => [p.severity, p.code, p.line])).toEqual([["error", "schema", result.lineOf("organisation.yaml", "helpDesk")]]);
    expect(result.problems[0]!.message).toContain("helpDesk");
  });

  it("fails on an <Org> naming an unknown key", async () => {
    const result = await withFixture(async (f) => {
      await f.write("organisation.yaml", organisationYaml());
      await f.replace(WHAT_EN, "## How it writes", 'Ask <Org value="helpDesk" />.\n\n## How it writes');
    });
    expect(result.problems.map((p) => [p.severity, p.code, p.file, p.line])).toEqual([
      ["error", "invalid-prop", WHAT_EN, result.lineOf(WHAT_EN, "helpDesk")],
    ]);
    expect(result.problems[0]!.message).toContain('"helpDesk" is not one of');
  });

  it("fails on an <Org> when there is no organisation.yaml", async () => {
    const result = await withFixture((f) => f.replace(WHAT_EN, "## How it writes", 'Ask <Org value="privacyContact" />.\n\n## How it writes'));
    expect(result.problems.map((p) => [p.severity, p.code, p.file, p.line])).toEqual([
      ["error", "missing-file", WHAT_EN, result.lineOf(WHAT_EN, "privacyContact")],
    ]);
  });

  it("refuses an <Org> inside a link", async () => {
    const result = await withFixture(async (f) => {
      await f.write("organisation.yaml", organisationYaml());
      await f.replace(WHAT_EN, "## How it writes", '[Ask <Org value="privacyContact" />](https://example.com)\n\n## How it writes');
    });
    expect(result.withCode("component-structure").map((p) => p.message)).toEqual(["A <Org> cannot be inside a link"]);
  });
});
