import { createInstance } from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { describe, expect, it } from "vitest";
import { ORGANISATION_KEYS, type OrganisationValues } from "~/content/organisation";
import { OrganisationValuesList } from "~/content/organisation-values";
import { QuestionBankFigures } from "~/content/question-bank-figures";
import { questionStats, type StatsQuestion } from "~/content/question-stats";
import { i18nConfig } from "~/i18n/config";

async function render(lang: "en" | "ja", element: React.ReactElement): Promise<string> {
  const i18n = createInstance();
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng: lang });
  return renderToStaticMarkup(<I18nextProvider i18n={i18n}>{element}</I18nextProvider>);
}

const q = (id: string, key: string, keyText: string, domain = "d1"): StatsQuestion => ({
  id,
  courseId: "safe-use",
  use: "exam",
  domain,
  type: "single",
  options: ["a", "b", "c"].map((o) => ({ id: o, text: o === key ? { en: keyText, ja: keyText } : { en: "No", ja: "いいえ" } })),
  answer: [key],
});
// Keys longest in 2 of 3 items (67%, over the limit); q-2's key is much longer in both languages.
const stats = questionStats([q("q-1", "a", "Yes!"), q("q-2", "b", "A much longer key than the others"), q("q-3", "a", "N")], [
  { id: "ai-safe-use", courses: ["safe-use"], exam: { blueprint: [{ domain: "d1", count: 2 }] } },
]);

describe("the Authoring page's Question banks section", () => {
  it("shows the bank and domain figures, flagging what is over the limits, in English", async () => {
    const html = await render("en", <QuestionBankFigures stats={stats} domainNames={{ d1: "Data protection" }} language="en" />);
    expect(html).toContain("Key is longest (English)");
    expect(html).toContain("2 of 3 (67%)");
    expect(html).toContain("q-2 (English), q-2 (Japanese)");
    expect(html).toContain("Data protection");
    expect(html).toContain("1.5×");
    expect(html.match(/outside the limit/g)).toHaveLength(4); // en share, ja share, much longer keys, the domain's ratio
  });

  it("speaks Japanese on a Japanese page", async () => {
    const html = await render("ja", <QuestionBankFigures stats={stats} domainNames={{ d1: "データ保護" }} language="ja" />);
    expect(html).toContain("3問中2問（67%）");
    expect(html).toContain("1.5倍");
    expect(html).toContain("正解が最長（日本語）");
    expect(html).toContain("q-2（英語）、q-2（日本語）");
    expect(html).toContain("基準外");
    expect(html).not.toContain("Key is longest");
  });

  it("says so when there are no questions", async () => {
    expect(await render("en", <QuestionBankFigures stats={{ banks: [], domains: [] }} domainNames={{}} language="en" />)).toContain("No questions yet.");
  });
});

describe("the Authoring page's Organisation values section", () => {
  const values = Object.fromEntries(
    ORGANISATION_KEYS.map((key) => [key, { en: `${key} (en)`, ja: `${key}（ja）`, ...(key === "incidentContact" ? { href: "mailto:csirt@example.co.jp" } : {}) }]),
  ) as OrganisationValues;

  it("lists every value in both languages with its <Org> tag and link", async () => {
    const html = await render("ja", <OrganisationValuesList values={values} />);
    for (const key of ORGANISATION_KEYS) expect(html).toContain(`&lt;Org value=&quot;${key}&quot; /&gt;`);
    expect(html).toContain("インシデントの連絡先");
    expect(html).toContain("incidentContact（ja）");
    expect(html).toContain('<a href="mailto:csirt@example.co.jp"');
  });

  it("explains what happens without an organisation.yaml", async () => {
    expect(await render("en", <OrganisationValuesList values={null} />)).toContain("There is no valid content/organisation.yaml");
  });
});
