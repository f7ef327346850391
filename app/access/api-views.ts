import type { AccessDecision, NextStep, Reason } from "./decision";

/**
 * What the HTTP API answers, built from the access decision (pure). Every answer names what it rests
 * on: the certificates (id, number, end of validity, per track) and the content release.
 */

export type ApiPerson = { id: string; email: string; employeeNumber: string | null; active: boolean };
export type ApiToolRef = { id: string; name: { en: string; ja: string } };

export type MissingReason = "no-certificate" | "certificate-expired" | "certificate-revoked" | "unknown-track";
export type ApiMissingTrack = { trackId: string; reason: MissingReason; nextStep: NextStep };
export type ApiCertificate = { trackId: string; id: string; number: string; validUntil: string };

export type ApiAccess = {
  allowed: boolean;
  user: ApiPerson;
  tool: ApiToolRef;
  validUntil: string | null;
  missingTracks: ApiMissingTrack[];
  certificates: ApiCertificate[];
  release: number;
};

function missingReason(reasons: readonly Reason[], trackId: string): MissingReason {
  for (const r of reasons) {
    if (r.kind === "unknown-track" && r.trackId === trackId) return "unknown-track";
    if ((r.kind === "certificate-expired" || r.kind === "certificate-revoked" || r.kind === "no-certificate") && r.trackId === trackId) return r.kind;
  }
  return "no-certificate";
}

export function accessView(person: ApiPerson, tool: ApiToolRef, decision: AccessDecision): ApiAccess {
  return {
    allowed: decision.allowed,
    user: { id: person.id, email: person.email, employeeNumber: person.employeeNumber, active: person.active },
    tool: { id: tool.id, name: { en: tool.name.en, ja: tool.name.ja } },
    validUntil: decision.validUntil,
    missingTracks: decision.tracks
      .filter((t) => t.missing !== null)
      .map((t) => ({ trackId: t.trackId, reason: missingReason(decision.reasons, t.trackId), nextStep: t.missing! })),
    certificates: decision.tracks.flatMap((t) =>
      t.satisfiedBy ? [{ trackId: t.trackId, id: t.satisfiedBy.certificateId, number: t.satisfiedBy.number, validUntil: t.satisfiedBy.validUntil }] : [],
    ),
    release: decision.release,
  };
}

const REASON_TEXT: Record<MissingReason, string> = {
  "no-certificate": "not certified",
  "certificate-expired": "certificate expired",
  "certificate-revoked": "certificate revoked",
  "unknown-track": "track not offered",
};

/**
 * The short plain-text reason a forward-auth denial carries (one line, ASCII, for gateway logs and
 * error pages): e.g. `not allowed: ai-safe-use certificate expired; ai-practitioner not certified`.
 */
export function denialText(decision: AccessDecision, personActive: boolean): string {
  if (!personActive) return "not allowed: account inactive";
  const missing = decision.tracks.filter((t) => t.missing !== null);
  if (missing.length === 0) return "not allowed: the tool requires no certification (catalog error)";
  return `not allowed: ${missing.map((t) => `${t.trackId} ${REASON_TEXT[missingReason(decision.reasons, t.trackId)]}`).join("; ")}`;
}

/** Splits `pairs` into chunks of at most `size` (to bound concurrent database work). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
