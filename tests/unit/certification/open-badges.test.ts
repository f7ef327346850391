import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  buildAchievement,
  buildIssuerProfileDocument,
  buildOpenBadgeCredential,
  emailIdentity,
  newIdentitySalt,
  OB_V3_CONTEXT,
  toDateTimeZ,
  VC_V2_CONTEXT,
} from "~/certification/open-badges";
import { badgeInput, holderEmail, issuer, officialSchemaValidator, salt, track } from "./open-badges-fixtures";

const validate = officialSchemaValidator();

describe("Open Badges 3.0 credential", () => {
  it("validates against the official OB 3.0 AchievementCredential schema in both languages", async () => {
    for (const lang of ["ja", "en"] as const) {
      const credential = buildOpenBadgeCredential(await badgeInput(lang));
      const valid = validate(credential);
      expect(validate.errors ?? [], lang).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it("is rejected by the same schema when a required part is missing or wrong (the check has teeth)", async () => {
    const credential = buildOpenBadgeCredential(await badgeInput());
    const { validFrom: _dropped, ...withoutValidFrom } = credential;
    expect(validate(withoutValidFrom)).toBe(false);
    expect(validate({ ...credential, "@context": [OB_V3_CONTEXT, VC_V2_CONTEXT] })).toBe(false);
    const noCriteria = structuredClone(credential) as { credentialSubject: { achievement: Record<string, unknown> } };
    delete noCriteria.credentialSubject.achievement.criteria;
    expect(validate(noCriteria)).toBe(false);
  });

  it("is an OpenBadgeCredential under the VC 2.0 and OB 3.0 contexts, with its id under the site", async () => {
    const credential = buildOpenBadgeCredential(await badgeInput());
    expect(credential["@context"]).toEqual(["https://www.w3.org/ns/credentials/v2", OB_V3_CONTEXT]);
    expect(credential.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(credential.id).toBe("https://manabi.example.co.jp/credentials/Q7m2kX9vT4pL8wRzN3cB");
    expect(credential.issuer).toMatchObject({
      id: "https://manabi.example.co.jp/issuer",
      type: ["Profile"],
      name: issuer.name,
      url: "https://manabi.example.co.jp",
    });
    expect(credential.credentialSubject.achievement).toMatchObject({
      id: "https://manabi.example.co.jp/achievements/ai-foundations/ja",
      type: ["Achievement"],
      achievementType: "Certificate",
      criteria: { narrative: track.criteria.ja },
    });
    expect(credential.credentialSubject.licenseNumber).toBe("MNB-2026-000123");
  });

  it("carries the validity period as whole-second UTC date-times with a zone", async () => {
    const credential = buildOpenBadgeCredential(await badgeInput());
    expect(credential.validFrom).toBe("2026-11-30T01:23:45Z");
    expect(credential.awardedDate).toBe("2026-11-30T01:23:45Z");
    expect(credential.validUntil).toBe("2027-11-30T14:59:59Z");
    expect(toDateTimeZ(new Date("2026-01-01T00:00:00.999Z"))).toBe("2026-01-01T00:00:00Z");
  });

  it("never contains the holder's email, only its salted SHA-256 hash", async () => {
    const credential = buildOpenBadgeCredential(await badgeInput());
    const json = JSON.stringify(credential).toLowerCase();
    expect(json).not.toContain(holderEmail.toLowerCase());
    expect(json).not.toContain("takasaki");
    const expected = createHash("sha256").update(`hanako.takasaki@example.co.jp${salt}`, "utf8").digest("hex");
    expect(credential.credentialSubject.identifier).toEqual([
      { type: "IdentityObject", hashed: true, identityHash: `sha256$${expected}`, identityType: "emailAddress", salt },
    ]);
  });

  it("hashes an email the way the OB 3.0 specification's own example does", async () => {
    // OB 3.0: 'sha256$b5809d8a…' is SHA-256 of 'a@example.comKosher' (email salted with 'Kosher').
    const digest = createHash("sha256").update("a@example.comKosher").digest("hex");
    expect(digest).toBe("b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399");
    const longSalt = "Kosher-but-longer-than-16";
    const identity = await emailIdentity(" A@Example.com ", longSalt);
    expect(identity.identityHash).toBe(`sha256$${createHash("sha256").update(`a@example.com${longSalt}`).digest("hex")}`);
    await expect(emailIdentity("a@example.com", "short")).rejects.toThrow();
  });

  it("draws a fresh random salt each time", () => {
    const a = newIdentitySalt();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(newIdentitySalt()).not.toBe(a);
  });

  it("speaks the holder's language and links the achievement in the other language", async () => {
    const ja = buildOpenBadgeCredential(await badgeInput("ja"));
    const en = buildOpenBadgeCredential(await badgeInput("en"));
    expect(ja.credentialSubject.achievement).toMatchObject({ name: "生成AI活用基礎", inLanguage: "ja" });
    expect(ja.name).toContain("生成AI活用基礎");
    expect(ja.credentialSubject.achievement.related).toEqual([
      { id: "https://manabi.example.co.jp/achievements/ai-foundations/en", type: ["Related"], inLanguage: "en" },
    ]);
    expect(en.credentialSubject.achievement).toMatchObject({ name: "Generative AI Foundations", inLanguage: "en" });
    expect(en.description).toContain("Generative AI Foundations");
    expect(en.credentialSubject.achievement.related[0]?.id).toBe(ja.credentialSubject.achievement.id);
  });

  it("publishes each language edition of the achievement at the id the other one names", () => {
    const ja = buildAchievement(track, "ja", issuer);
    const en = buildAchievement(track, "en", issuer);
    expect(ja.related[0]?.id).toBe(en.id);
    expect(en.related[0]?.id).toBe(ja.id);
    expect(en.description).toBe(track.description.en);
  });

  it("publishes an issuer profile document with the same id the credentials name", async () => {
    const credential = buildOpenBadgeCredential(await badgeInput());
    const profile = buildIssuerProfileDocument(issuer);
    expect(profile).toMatchObject({ "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT], id: credential.issuer.id, type: ["Profile"] });
  });

  it("names a revocation list only when one is given", async () => {
    expect(buildOpenBadgeCredential(await badgeInput())).not.toHaveProperty("credentialStatus");
    const withStatus = buildOpenBadgeCredential({
      ...(await badgeInput()),
      revocationListUrl: "https://manabi.example.co.jp/credentials/revocations",
    });
    expect(withStatus.credentialStatus).toEqual({
      id: "https://manabi.example.co.jp/credentials/revocations",
      type: "1EdTechRevocationList",
    });
    expect(validate(withStatus)).toBe(true);
  });

  it("refuses inputs that would make a broken credential", async () => {
    const input = await badgeInput();
    expect(() => buildOpenBadgeCredential({ ...input, holder: { ...input.holder, subjectId: "not a uri" } })).toThrow();
    expect(() =>
      buildOpenBadgeCredential({ ...input, issuer: { ...issuer, baseUrl: "http://manabi.example.co.jp" } }),
    ).toThrow(/https/);
    expect(() =>
      buildOpenBadgeCredential({
        ...input,
        certificate: { ...input.certificate, validUntil: input.certificate.passedAt },
      }),
    ).toThrow();
  });
});
