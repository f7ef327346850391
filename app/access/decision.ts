import type { Eligibility } from "~/assessment/exam-rules";
import { certificateStatus, isInRecertificationWindow, recertificationOpensAt } from "~/certification/validity";

/**
 * The entitlement rule, in one place: a person may use an approved AI tool when they are active and
 * hold a valid certificate — awarded by an exam or recorded by HR, not revoked, not expired at the
 * moment asked — for every track the tool requires *in the content release the decision is made under*.
 *
 * Pure: the caller passes the person, the tool as the release defines it, the person's certificates,
 * the release and `now`. The decision carries its reasons, and holds only JSON values (dates as ISO
 * strings), so the page, the manager views and the API can hand it on unchanged.
 *
 * A course exemption is deliberately not an input: it only lets a person take an exam without the
 * courses (it shapes the next step the caller passes in), never access to a tool.
 */

/** What the person can do next about a required track they do not hold. */
export type NextStep =
  /** Complete these courses of the track (then take its exam). */
  | { kind: "courses"; courseIds: string[] }
  /** Take the track's exam now (courses done, or HR exempted them). */
  | { kind: "exam" }
  /** A retake of the exam opens at this moment. */
  | { kind: "retake"; opensAt: string }
  /** Every attempt of this cycle is used: HR has to grant another. */
  | { kind: "no-attempts-left" }
  /** An exam attempt is open: continue it. */
  | { kind: "exam-in-progress"; attemptId: string }
  /** The person's account is inactive: nothing they can do unlocks a tool. */
  | { kind: "inactive" }
  /** The tool names a track that is not in the release: nobody can satisfy it (the CoE must fix the catalog). */
  | { kind: "unknown-track" };

/** One of the person's certificates, whatever its state (the rule decides which are valid at `now`). */
export type CertificateInput = {
  id: string;
  number: string;
  validUntil: Date;
  revokedAt: Date | null;
};

export type TrackDecision = {
  trackId: string;
  /** The valid certificate that satisfies the track (the one valid longest), or null. */
  satisfiedBy: { certificateId: string; number: string; validUntil: string; recertifyFrom: string } | null;
  /** What is missing and the next step; null when satisfied. */
  missing: NextStep | null;
};

/** Why the decision came out as it did, one entry per fact, in the order of the tool's tracks. */
export type Reason =
  | { kind: "inactive" }
  | { kind: "no-required-tracks" }
  | { kind: "unknown-track"; trackId: string }
  | { kind: "certified"; trackId: string; certificateId: string; validUntil: string }
  | { kind: "no-certificate"; trackId: string }
  /** The person's last certificate of the track has expired (no other is valid). */
  | { kind: "certificate-expired"; trackId: string; certificateId: string; expiredAt: string }
  /** The person's last certificate of the track was revoked (no other is valid). */
  | { kind: "certificate-revoked"; trackId: string; certificateId: string; revokedAt: string };

export type AccessDecision = {
  allowed: boolean;
  tool: string;
  /** The content release whose catalog and tracks the decision used. */
  release: number;
  /** The moment the decision holds for. */
  decidedAt: string;
  /** While allowed: when access ends unless the person recertifies (the earliest end among the satisfying certificates). */
  validUntil: string | null;
  tracks: TrackDecision[];
  reasons: Reason[];
  /** Satisfying certificates inside their track's recertification window: renew them to keep access. */
  recertificationDue: { trackId: string; validUntil: string; opensAt: string }[];
};

export type DecisionInput = {
  person: { active: boolean };
  tool: { id: string; requiredTracks: readonly string[] };
  /** The person's certificates by track id, in any state and order. */
  certificatesByTrack: ReadonlyMap<string, readonly CertificateInput[]>;
  /** The release the tool was read from, with its tracks (`LoadedRelease` fits). */
  release: { number: number; tracks: ReadonlyMap<string, { recertificationWindowDays: number }> };
  now: Date;
  /** The next step per track the person does not hold; a track missing here falls back to "exam". */
  nextSteps?: ReadonlyMap<string, NextStep>;
};

const iso = (d: Date) => d.toISOString();

/** Of a track's certificates, the valid one ending last, or, when none is valid, the most recent lapsed one. */
function pick(certificates: readonly CertificateInput[], now: Date) {
  let valid: CertificateInput | null = null;
  let lapsed: CertificateInput | null = null;
  for (const c of certificates) {
    if (certificateStatus(c, now) === "valid") {
      if (!valid || c.validUntil.getTime() > valid.validUntil.getTime()) valid = c;
    } else {
      const end = (x: CertificateInput) => Math.min(x.validUntil.getTime(), x.revokedAt?.getTime() ?? Infinity);
      if (!lapsed || end(c) > end(lapsed)) lapsed = c;
    }
  }
  return { valid, lapsed };
}

export function decideAccess(input: DecisionInput): AccessDecision {
  const { person, tool, release, now } = input;
  const tracks: TrackDecision[] = [];
  const reasons: Reason[] = [];
  const recertificationDue: AccessDecision["recertificationDue"] = [];
  if (!person.active) reasons.push({ kind: "inactive" });
  // A catalog entry with no requirement is a mistake (content:check refuses it): fail closed.
  if (tool.requiredTracks.length === 0) reasons.push({ kind: "no-required-tracks" });

  for (const trackId of tool.requiredTracks) {
    const track = release.tracks.get(trackId);
    if (!track) {
      tracks.push({ trackId, satisfiedBy: null, missing: { kind: "unknown-track" } });
      reasons.push({ kind: "unknown-track", trackId });
      continue;
    }
    const { valid, lapsed } = pick(input.certificatesByTrack.get(trackId) ?? [], now);
    if (valid) {
      const opensAt = recertificationOpensAt(valid.validUntil, track.recertificationWindowDays);
      tracks.push({
        trackId,
        satisfiedBy: { certificateId: valid.id, number: valid.number, validUntil: iso(valid.validUntil), recertifyFrom: iso(opensAt) },
        missing: null,
      });
      reasons.push({ kind: "certified", trackId, certificateId: valid.id, validUntil: iso(valid.validUntil) });
      if (isInRecertificationWindow(valid, track.recertificationWindowDays, now)) {
        recertificationDue.push({ trackId, validUntil: iso(valid.validUntil), opensAt: iso(opensAt) });
      }
      continue;
    }
    const step: NextStep = person.active ? (input.nextSteps?.get(trackId) ?? { kind: "exam" }) : { kind: "inactive" };
    tracks.push({ trackId, satisfiedBy: null, missing: step });
    if (!lapsed) reasons.push({ kind: "no-certificate", trackId });
    else if (certificateStatus(lapsed, now) === "revoked") {
      reasons.push({ kind: "certificate-revoked", trackId, certificateId: lapsed.id, revokedAt: iso(lapsed.revokedAt!) });
    } else {
      reasons.push({ kind: "certificate-expired", trackId, certificateId: lapsed.id, expiredAt: iso(lapsed.validUntil) });
    }
  }

  const allowed = person.active && tool.requiredTracks.length > 0 && tracks.every((t) => t.satisfiedBy !== null);
  const ends = tracks.map((t) => t.satisfiedBy?.validUntil).filter((v): v is string => v !== undefined);
  const validUntil = allowed ? ends.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a)) : null;
  return { allowed, tool: tool.id, release: release.number, decidedAt: iso(now), validUntil, tracks, reasons, recertificationDue };
}

/**
 * The next step for a track from the exam rules' view of the person. "certified" can only meet a
 * certificate the access rule did not accept (e.g. one that expired between two reads): take the exam.
 */
export function nextStepFromEligibility(eligibility: Eligibility): NextStep {
  switch (eligibility.kind) {
    case "resume":
    case "finalize-overdue":
      return { kind: "exam-in-progress", attemptId: eligibility.attemptId };
    case "courses-incomplete":
      return { kind: "courses", courseIds: [...eligibility.missing] };
    case "retake-wait":
      return { kind: "retake", opensAt: iso(eligibility.opensAt) };
    case "no-attempts-left":
      return { kind: "no-attempts-left" };
    case "certified":
    case "ready":
      return { kind: "exam" };
  }
}
