/**
 * The documents made from a certificate for its holder and the public: the PDF, the signed Open Badge,
 * the issuer Profile, the achievement pages and the verification URL, all under the site's origin.
 *
 * The origin comes from the request (`new URL(request.url).origin`: Express builds it from the Host
 * header, or from X-Forwarded-* when TRUST_PROXY says the proxy is trusted). The environment has no
 * public base URL setting yet; when one is added, `siteOrigin` is the one place to read it.
 */
import { createHash } from "node:crypto";
import type { LoadedRelease } from "~/content/release.server";
import type { Language } from "~/i18n/config";
import { formatPersonName } from "~/i18n/format";
import en from "~/i18n/locales/en.json";
import ja from "~/i18n/locales/ja.json";
import { renderCertificatePdf } from "./certificate-pdf.server";
import type { CertificateRecord } from "./certificates.server";
import {
  buildAchievement,
  buildIssuerProfileDocument,
  buildOpenBadgeCredential,
  emailIdentity,
  type IssuerInfo,
  type OpenBadgeCredential,
  type TrackInfo,
  OB_V3_CONTEXT,
  VC_V2_CONTEXT,
} from "./open-badges";
import { signOpenBadgeCredential } from "./open-badges-signing.server";
import { activeSigningKey } from "./signing-keys.server";

const text = { en: en.certificate, ja: ja.certificate } as const;

/** The site's origin as the browser reached it. */
export function siteOrigin(request: Request): string {
  return new URL(request.url).origin;
}

export function verifyUrl(baseUrl: string, code: string): string {
  return `${new URL(baseUrl).origin}/verify/${code}`;
}

/** The name certificates are issued under: the published organisation.yaml's issuerName, else the app's default. */
export function issuerName(lang: Language, release: LoadedRelease | null = null): string {
  return release?.bundle.organisation?.issuerName[lang] ?? text[lang].issuerName;
}

export function issuerInfo(baseUrl: string, lang: Language, release: LoadedRelease | null = null): IssuerInfo {
  return { baseUrl, name: issuerName(lang, release), description: text[lang].issuerDescription };
}

export function issuerProfileDocument(baseUrl: string, lang: Language, release: LoadedRelease | null = null) {
  return buildIssuerProfileDocument(issuerInfo(baseUrl, lang, release));
}

/** A track as an Open Badges achievement: its title as awarded, its summary while it is published. */
export function trackInfo(trackId: string, title: { en: string; ja: string }, release: LoadedRelease | null): TrackInfo {
  const track = release?.tracks.get(trackId);
  return {
    id: trackId,
    title,
    description: track ? track.summary : { en: text.en.badgeDescription.replace("{{track}}", title.en), ja: text.ja.badgeDescription.replace("{{track}}", title.ja) },
    criteria: { en: text.en.badgeCriteria, ja: text.ja.badgeCriteria },
  };
}

/** The achievement document served at its id (`/achievements/<track>/<lang>`), or null for an unknown track. */
export function achievementDocument(baseUrl: string, trackId: string, lang: Language, release: LoadedRelease | null) {
  const track = release?.tracks.get(trackId);
  if (!track) return null;
  return { "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT], ...buildAchievement(trackInfo(track.id, track.title, release), lang, issuerInfo(baseUrl, lang, release)) };
}

/**
 * Stable per certificate, so downloading the badge twice gives the same identity hash: derived from the
 * certificate's random id (nothing about the person), hex, 32 characters.
 */
function identitySalt(certificateId: string): string {
  return createHash("sha256").update(`manabi-ob-identity-salt\0${certificateId}`).digest("hex").slice(0, 32);
}

/** The unsigned OpenBadgeCredential of a certificate in the holder's chosen language. */
export async function certificateCredential(
  record: CertificateRecord,
  lang: Language,
  baseUrl: string,
  release: LoadedRelease | null,
): Promise<OpenBadgeCredential> {
  return buildOpenBadgeCredential({
    issuer: issuerInfo(baseUrl, lang, release),
    track: trackInfo(record.trackId, record.trackTitle, release),
    holder: {
      // The certificate's own random id: opaque, stable, and says nothing about the holder.
      subjectId: `urn:uuid:${record.id}`,
      identifier: await emailIdentity(record.holder.email, identitySalt(record.id)),
      language: lang,
    },
    certificate: {
      // /credentials/<code> leads to the public verification page of this certificate.
      credentialId: record.verificationCode,
      number: record.number,
      passedAt: record.passedAt,
      validUntil: record.validUntil,
    },
  });
}

/** The credential signed as a VC-JWT with the platform's active key. */
export async function certificateBadgeJwt(
  record: CertificateRecord,
  lang: Language,
  baseUrl: string,
  release: LoadedRelease | null,
): Promise<string> {
  const credential = await certificateCredential(record, lang, baseUrl, release);
  return signOpenBadgeCredential(credential, await activeSigningKey(baseUrl));
}

/** The one-page A4 PDF in `lang`. */
export function certificatePdf(record: CertificateRecord, lang: Language, baseUrl: string, release: LoadedRelease | null = null): Promise<Uint8Array> {
  return renderCertificatePdf(
    {
      certificateNumber: record.number,
      holderName: formatPersonName(record.holder, lang),
      trackTitle: record.trackTitle[lang],
      passedAt: record.passedAt,
      validUntil: record.validUntil,
      status: record.status,
      issuerName: issuerName(lang, release),
      verifyUrl: verifyUrl(baseUrl, record.verificationCode),
    },
    lang,
  );
}
