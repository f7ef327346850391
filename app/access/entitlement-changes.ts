import type { AccessDecision } from "./decision";

/**
 * What changed in one person's entitlement to one tool, and the state to remember (pure).
 *
 * The feed compares each fresh decision with the last state it recorded for the pair and turns the
 * difference into events:
 * - `granted`: access starts, or goes on with a new end (a renewal or a second certificate);
 * - `expiring-soon`: access goes on, but the certificate it ends with is inside its track's
 *   recertification window — once per end date;
 * - `expired`: access ended because a certificate ran out (occurred at that moment, not when noticed);
 * - `revoked`: access ended because HR revoked a certificate, or the person became inactive;
 * - `requirement-changed`: access ended because a new content release changed what the tool requires
 *   (or withdrew the tool).
 */

export type StoredEntitlement = {
  allowed: boolean;
  validUntil: Date | null;
  expiringFrom: Date | null;
  expiringNoticeFor: Date | null;
  release: number;
  requiredTracks: readonly string[];
};

export type EntitlementEventKind = "granted" | "expiring-soon" | "expired" | "revoked" | "requirement-changed";

export type EntitlementEvent = {
  kind: EntitlementEventKind;
  occurredAt: Date;
  allowed: boolean;
  validUntil: Date | null;
  details: {
    /** Why the event came: e.g. "certified", "renewed", "requirements-lowered", "inactive", "tool-withdrawn". */
    cause: string;
    certificates: { trackId: string; certificateId: string; number: string; validUntil: string }[];
    previousValidUntil?: string | null;
    /** For an ended access: the tracks now missing and why (the decision's reasons). */
    missing?: { trackId: string; reason: string }[];
    requiredTracks?: string[];
    previousRequiredTracks?: string[];
  };
};

export type EntitlementChange = { state: StoredEntitlement; events: EntitlementEvent[] };

const sameTracks = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");
const time = (d: Date | null | undefined) => (d ? d.getTime() : null);

function certificatesOf(decision: AccessDecision): EntitlementEvent["details"]["certificates"] {
  return decision.tracks.flatMap((t) =>
    t.satisfiedBy ? [{ trackId: t.trackId, certificateId: t.satisfiedBy.certificateId, number: t.satisfiedBy.number, validUntil: t.satisfiedBy.validUntil }] : [],
  );
}

function missingOf(decision: AccessDecision): { trackId: string; reason: string }[] {
  return decision.reasons.flatMap((r) =>
    r.kind === "no-certificate" || r.kind === "certificate-expired" || r.kind === "certificate-revoked" || r.kind === "unknown-track"
      ? [{ trackId: r.trackId, reason: r.kind }]
      : [],
  );
}

/** When the recertification window of the certificate that ends access opens. */
function expiringFromOf(decision: AccessDecision): Date | null {
  if (!decision.allowed || !decision.validUntil) return null;
  const ending = decision.tracks.filter((t) => t.satisfiedBy && t.satisfiedBy.validUntil === decision.validUntil);
  const opens = ending.map((t) => Date.parse(t.satisfiedBy!.recertifyFrom));
  return opens.length ? new Date(Math.min(...opens)) : null;
}

/**
 * The change for a tool the current release still offers. `previous` is null for a pair never decided
 * (treated as not allowed: a first decision that allows is a grant, one that refuses says nothing).
 */
export function entitlementChange(
  previous: StoredEntitlement | null,
  decision: AccessDecision,
  tool: { requiredTracks: readonly string[] },
  now: Date,
): EntitlementChange {
  const events: EntitlementEvent[] = [];
  const validUntil = decision.validUntil ? new Date(decision.validUntil) : null;
  const certificates = certificatesOf(decision);
  const requirementsChanged = previous !== null && previous.release < decision.release && !sameTracks(previous.requiredTracks, tool.requiredTracks);

  if (decision.allowed) {
    const expiringFrom = expiringFromOf(decision);
    let expiringNoticeFor = previous?.allowed && time(previous.validUntil) === time(validUntil) ? previous.expiringNoticeFor : null;
    if (!previous?.allowed) {
      events.push({
        kind: "granted",
        occurredAt: now,
        allowed: true,
        validUntil,
        details: { cause: requirementsChanged ? "requirements-lowered" : "certified", certificates },
      });
    } else if (time(previous.validUntil) !== time(validUntil)) {
      events.push({
        kind: "granted",
        occurredAt: now,
        allowed: true,
        validUntil,
        details: { cause: "renewed", certificates, previousValidUntil: previous.validUntil?.toISOString() ?? null },
      });
    }
    if (expiringFrom && validUntil && now.getTime() >= expiringFrom.getTime() && time(expiringNoticeFor) !== time(validUntil)) {
      events.push({ kind: "expiring-soon", occurredAt: now, allowed: true, validUntil, details: { cause: "recertification-window", certificates } });
      expiringNoticeFor = validUntil;
    }
    return {
      state: { allowed: true, validUntil, expiringFrom, expiringNoticeFor, release: decision.release, requiredTracks: [...tool.requiredTracks] },
      events,
    };
  }

  const state: StoredEntitlement = {
    allowed: false,
    validUntil: null,
    expiringFrom: null,
    expiringNoticeFor: null,
    release: decision.release,
    requiredTracks: [...tool.requiredTracks],
  };
  if (!previous?.allowed) return { state, events };

  const missing = missingOf(decision);
  const ended = (kind: EntitlementEventKind, cause: string, occurredAt = now): EntitlementChange => ({
    state,
    events: [
      {
        kind,
        occurredAt,
        allowed: false,
        validUntil: null,
        details: {
          cause,
          certificates,
          previousValidUntil: previous.validUntil?.toISOString() ?? null,
          missing,
          ...(kind === "requirement-changed" ? { requiredTracks: [...tool.requiredTracks], previousRequiredTracks: [...previous.requiredTracks] } : {}),
        },
      },
    ],
  });
  if (decision.reasons.some((r) => r.kind === "inactive")) return ended("revoked", "inactive");
  if (requirementsChanged) return ended("requirement-changed", "requirements-raised");
  if (decision.reasons.some((r) => r.kind === "certificate-revoked")) return ended("revoked", "certificate-revoked");
  if (decision.reasons.some((r) => r.kind === "certificate-expired")) {
    // Access ended when the certificate it ended with ran out: the end the feed last recorded.
    const end = previous.validUntil && previous.validUntil.getTime() <= now.getTime() ? previous.validUntil : now;
    return ended("expired", "certificate-expired", end);
  }
  return ended("revoked", missing.some((m) => m.reason === "unknown-track") ? "unknown-track" : "not-certified");
}

/** The change for a tool the current release no longer offers. */
export function withdrawnToolChange(previous: StoredEntitlement, release: number, now: Date): EntitlementChange {
  const state: StoredEntitlement = { allowed: false, validUntil: null, expiringFrom: null, expiringNoticeFor: null, release, requiredTracks: [] };
  if (!previous.allowed) return { state, events: [] };
  return {
    state,
    events: [
      {
        kind: "requirement-changed",
        occurredAt: now,
        allowed: false,
        validUntil: null,
        details: {
          cause: "tool-withdrawn",
          certificates: [],
          previousValidUntil: previous.validUntil?.toISOString() ?? null,
          requiredTracks: [],
          previousRequiredTracks: [...previous.requiredTracks],
        },
      },
    ],
  };
}
