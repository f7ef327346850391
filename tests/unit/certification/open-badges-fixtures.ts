import Ajv2019 from "ajv/dist/2019";
import addFormats from "ajv-formats";
import schema from "../../fixtures/open-badges/ob_v3p0_achievementcredential_schema.json";
import { emailIdentity, type IssuerInfo, type OpenBadgeInput, type TrackInfo } from "~/certification/open-badges";
import type { Language } from "~/i18n/config";

/** The official OB 3.0 schema, compiled once. The schema uses tuple `items`, so Ajv's strict mode is off. */
export function officialSchemaValidator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

export const issuer: IssuerInfo = {
  baseUrl: "https://manabi.example.co.jp",
  name: "Manabi AI Center of Excellence",
};

export const track: TrackInfo = {
  id: "ai-foundations",
  title: { ja: "生成AI活用基礎", en: "Generative AI Foundations" },
  description: {
    ja: "生成AIを業務で安全に使うための基礎知識を認定します。",
    en: "Certifies the foundations for using generative AI safely at work.",
  },
  criteria: {
    ja: "必修コースを修了し、認定試験に合格すること。",
    en: "Complete the required courses and pass the certification exam.",
  },
};

export const holderEmail = "Hanako.Takasaki@Example.co.jp";
export const salt = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

export async function badgeInput(language: Language = "ja"): Promise<OpenBadgeInput> {
  return {
    issuer,
    track,
    holder: {
      subjectId: "urn:uuid:5f0c6a3e-8f9a-4d43-9c1e-2a7b9d4e6f10",
      identifier: await emailIdentity(holderEmail, salt),
      language,
    },
    certificate: {
      credentialId: "Q7m2kX9vT4pL8wRzN3cB",
      number: "MNB-2026-000123",
      passedAt: new Date("2026-11-30T01:23:45.678Z"),
      validUntil: new Date("2027-11-30T14:59:59.999Z"),
    },
  };
}
