import { describe, expect, it } from "vitest";
import { issuerInfo, issuerName, issuerProfileDocument } from "~/certification/certificate-documents.server";
import { ORGANISATION_KEYS, type OrganisationValues } from "~/content/organisation";
import { publishRelease } from "~/content/publish.server";
import { getCurrentRelease } from "~/content/release.server";
import en from "~/i18n/locales/en.json";
import ja from "~/i18n/locales/ja.json";
import { makeBundle } from "../helpers/content";

const organisation = Object.fromEntries(ORGANISATION_KEYS.map((key) => [key, { en: `${key} en`, ja: `${key} ja` }])) as OrganisationValues;
organisation.issuerName = { en: "Example Co., Ltd. AI Center of Excellence", ja: "株式会社エグザンプル AI推進センター" };

// Release numbers are global to this file's database: the steps run in order.
describe("the certificate issuer's name", () => {
  it("is the app's default while the live release has no organisation values", async () => {
    await publishRelease(makeBundle(), { id: null, name: "CLI" });
    const release = await getCurrentRelease();
    expect(issuerName("en", release)).toBe(en.certificate.issuerName);
    expect(issuerName("ja", release)).toBe(ja.certificate.issuerName);
  });

  it("comes from the live release's organisation.yaml, in each language, for pages, badges and the issuer profile", async () => {
    await publishRelease(makeBundle({ organisation }), { id: null, name: "CLI" });
    const release = await getCurrentRelease();
    expect(release?.bundle.organisation?.issuerName).toEqual(organisation.issuerName);
    expect(issuerInfo("https://manabi.example", "ja", release).name).toBe("株式会社エグザンプル AI推進センター");
    expect(issuerInfo("https://manabi.example", "en", release).name).toBe("Example Co., Ltd. AI Center of Excellence");
    expect(JSON.stringify(issuerProfileDocument("https://manabi.example", "en", release))).toContain(
      '"name":"Example Co., Ltd. AI Center of Excellence"',
    );
  });
});
