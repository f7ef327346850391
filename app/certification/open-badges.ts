/**
 * Open Badges 3.0 `OpenBadgeCredential` for a certificate (pure: no database, no keys).
 *
 * Targets the current edition of Open Badges 3.0 (1EdTech), which is built on the W3C Verifiable
 * Credentials Data Model 2.0: `@context` is VC v2 then the OB 3.0 context, dates are `validFrom` /
 * `validUntil`, and every `type` is an array. The official JSON schema for this edition is committed in
 * tests/fixtures/open-badges/ and a test validates what this module builds against it.
 *
 * Privacy: the holder's email never appears in clear. The subject carries an `IdentityObject` whose
 * `identityHash` is `sha256$hex(sha256(email + salt))` as OB 3.0 defines it, so a verifier who already
 * knows the email can confirm it, and nobody else learns it. `credentialSubject.id` is an opaque URI the
 * caller chooses (see `OpenBadgeHolder.subjectId`).
 *
 * Languages: the credential and its achievement are written in the holder's language
 * (`achievement.inLanguage`); the achievement in the other language is named through OB 3.0's `related`
 * property, which the specification reserves for alternate language editions of an Achievement. Serve
 * `buildAchievement(track, lang, …)` at each achievement id to make both editions dereferenceable.
 */
import type { Language } from "~/i18n/config";
import { certificateText } from "./certificate-text";

export const VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";
export const OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
export const OB_V3_CREDENTIAL_SCHEMA =
  "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

const LANGUAGE_TAG: Record<Language, string> = { ja: "ja", en: "en" };
const otherLanguage = (lang: Language): Language => (lang === "ja" ? "en" : "ja");

export type Localized = Record<Language, string>;

export type IdentityObject = {
  type: "IdentityObject";
  hashed: true;
  identityHash: string;
  identityType: "emailAddress";
  salt: string;
};

export type Profile = {
  id: string;
  type: ["Profile"];
  name: string;
  url: string;
  description?: string;
  email?: string;
};

export type Achievement = {
  id: string;
  type: ["Achievement"];
  achievementType: "Certificate";
  name: string;
  description: string;
  criteria: { id?: string; narrative: string };
  inLanguage: string;
  humanCode?: string;
  creator: Profile;
  related: Array<{ id: string; type: ["Related"]; inLanguage: string }>;
};

export type OpenBadgeCredential = {
  "@context": [typeof VC_V2_CONTEXT, typeof OB_V3_CONTEXT];
  id: string;
  type: ["VerifiableCredential", "OpenBadgeCredential"];
  name: string;
  description: string;
  issuer: Profile;
  validFrom: string;
  validUntil: string;
  awardedDate: string;
  credentialSubject: {
    id: string;
    type: ["AchievementSubject"];
    identifier: IdentityObject[];
    achievement: Achievement;
    licenseNumber: string;
  };
  credentialSchema: [{ id: typeof OB_V3_CREDENTIAL_SCHEMA; type: "1EdTechJsonSchemaValidator2019" }];
  credentialStatus?: { id: string; type: "1EdTechRevocationList" };
};

/** The platform as an issuer. `baseUrl` is the site's origin, e.g. `https://manabi.example.co.jp`. */
export type IssuerInfo = { baseUrl: string; name: string; description?: string; email?: string };

export type TrackInfo = {
  /** Stable track id from content/tracks (becomes part of the achievement URL). */
  id: string;
  title: Localized;
  description: Localized;
  /** What a person must do to earn it (Markdown allowed by OB 3.0). */
  criteria: Localized;
};

export type OpenBadgeHolder = {
  /**
   * An opaque, absolute URI for the holder that reveals nothing about them, e.g. `urn:uuid:` + a random
   * UUID kept with the certificate. It is the VC-JWT `sub`, so it must be present.
   */
  subjectId: string;
  /** From `emailIdentity()`. */
  identifier: IdentityObject;
  language: Language;
};

export type OpenBadgeInput = {
  issuer: IssuerInfo;
  track: TrackInfo;
  holder: OpenBadgeHolder;
  certificate: {
    /** Stable id used in the credential's URL (e.g. the certificate's public code or row id). */
    credentialId: string;
    number: string;
    passedAt: Date;
    validUntil: Date;
  };
  /** URL of a 1EdTech revocation list that names this credential's id when it is revoked, if published. */
  revocationListUrl?: string;
};

function origin(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.protocol !== "https:" && url.hostname !== "localhost" && url.hostname !== "127.0.0.1") {
    throw new Error(`Open Badges identifiers must be https URLs, got ${baseUrl}`);
  }
  return url.origin;
}

export const issuerProfileUrl = (baseUrl: string) => `${origin(baseUrl)}/issuer`;
export const credentialUrl = (baseUrl: string, credentialId: string) =>
  `${origin(baseUrl)}/credentials/${encodeURIComponent(credentialId)}`;
export const achievementUrl = (baseUrl: string, trackId: string, lang: Language) =>
  `${origin(baseUrl)}/achievements/${encodeURIComponent(trackId)}/${lang}`;

/** Date-time with the trailing time zone OB 3.0's `DateTimeZ` requires, whole seconds (as in a JWT). */
export function toDateTimeZ(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error("Invalid date");
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export function buildIssuerProfile(issuer: IssuerInfo): Profile {
  const base = origin(issuer.baseUrl);
  return {
    id: issuerProfileUrl(base),
    type: ["Profile"],
    name: issuer.name,
    url: base,
    ...(issuer.description ? { description: issuer.description } : {}),
    ...(issuer.email ? { email: issuer.email } : {}),
  };
}

/** The issuer Profile as a standalone JSON-LD document, for publishing at `issuerProfileUrl`. */
export function buildIssuerProfileDocument(issuer: IssuerInfo) {
  return { "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT], ...buildIssuerProfile(issuer) };
}

/** The track as an OB 3.0 Achievement in one language; the other language is named in `related`. */
export function buildAchievement(track: TrackInfo, lang: Language, issuer: IssuerInfo): Achievement {
  const other = otherLanguage(lang);
  return {
    id: achievementUrl(issuer.baseUrl, track.id, lang),
    type: ["Achievement"],
    achievementType: "Certificate",
    name: track.title[lang],
    description: track.description[lang],
    criteria: { narrative: track.criteria[lang] },
    inLanguage: LANGUAGE_TAG[lang],
    humanCode: track.id,
    creator: buildIssuerProfile(issuer),
    related: [{ id: achievementUrl(issuer.baseUrl, track.id, other), type: ["Related"], inLanguage: LANGUAGE_TAG[other] }],
  };
}

export function buildOpenBadgeCredential(input: OpenBadgeInput): OpenBadgeCredential {
  const { issuer, track, holder, certificate } = input;
  const lang = holder.language;
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(holder.subjectId)) {
    throw new Error("holder.subjectId must be an absolute URI");
  }
  if (certificate.validUntil.getTime() <= certificate.passedAt.getTime()) {
    throw new Error("A certificate must be valid until after it was passed");
  }
  const trackTitle = track.title[lang];
  const credential: OpenBadgeCredential = {
    "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT],
    id: credentialUrl(issuer.baseUrl, certificate.credentialId),
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: certificateText(lang, "credentialName", { track: trackTitle }),
    description: certificateText(lang, "credentialDescription", { track: trackTitle, issuer: issuer.name }),
    issuer: buildIssuerProfile(issuer),
    validFrom: toDateTimeZ(certificate.passedAt),
    validUntil: toDateTimeZ(certificate.validUntil),
    awardedDate: toDateTimeZ(certificate.passedAt),
    credentialSubject: {
      id: holder.subjectId,
      type: ["AchievementSubject"],
      identifier: [holder.identifier],
      achievement: buildAchievement(track, lang, issuer),
      licenseNumber: certificate.number,
    },
    credentialSchema: [{ id: OB_V3_CREDENTIAL_SCHEMA, type: "1EdTechJsonSchemaValidator2019" }],
  };
  if (input.revocationListUrl) {
    credential.credentialStatus = { id: input.revocationListUrl, type: "1EdTechRevocationList" };
  }
  return credential;
}

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Emails compare case-insensitively in practice; hash the trimmed, lower-cased address. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** A fresh random salt (128 bits, hex) for `emailIdentity`; store it if the credential is re-issued. */
export function newIdentitySalt(): string {
  return hex(globalThis.crypto.getRandomValues(new Uint8Array(16)).buffer);
}

/** OB 3.0 IdentityObject for an email: `sha256$` + hex SHA-256 of UTF-8(email + salt). */
export async function emailIdentity(email: string, salt: string): Promise<IdentityObject> {
  if (salt.length < 16) throw new Error("Use a salt of at least 16 characters (newIdentitySalt())");
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(normalizeEmail(email) + salt));
  return { type: "IdentityObject", hashed: true, identityHash: `sha256$${hex(digest)}`, identityType: "emailAddress", salt };
}
