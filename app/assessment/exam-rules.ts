import type { Track } from "~/content/types";
import { certificateStatus, isInRecertificationWindow, recertificationOpensAt, type CertificateDates } from "~/certification/validity";

/**
 * Who may start an exam, and the timer rules. Pure: the server passes in the learner's records and `now`.
 *
 * How attempts are counted: a *cycle* starts after the learner's last pass of the track (or at the
 * beginning). Finished attempts started in the current cycle count against the track's `attempts`
 * (plus any `extraAttempts` HR granted for this cycle). So a learner who passed and later recertifies,
 * or whose certificate expired, has the full number of attempts again; a learner who failed every
 * attempt of a cycle needs HR to grant more. Open attempts are never counted: they are resumed.
 */

export type AttemptRecord = {
  id: string;
  startedAt: Date;
  deadline: Date;
  /** When it was submitted or finalised by the server; null while open. */
  finishedAt: Date | null;
  /** null while open. */
  passed: boolean | null;
};

export type EligibilityInput = {
  exam: Pick<Track["exam"], "attempts" | "retakeWaitHours">;
  recertificationWindowDays: Track["recertificationWindowDays"];
  /** The learner's attempts at this track, in any order. */
  attempts: readonly AttemptRecord[];
  /** The learner's latest certificate of this track, if any. */
  certificate: CertificateDates | null;
  /** Required courses the learner has not completed in the current release. */
  incompleteCourseIds: readonly string[];
  /** HR exempted the learner from the courses (e.g. prior certification). */
  exemptFromCourses?: boolean;
  /** Attempts HR granted on top of the track's limit for the current cycle. */
  extraAttempts?: number;
  now: Date;
};

export type Eligibility =
  /** An open attempt within its time: continue it (never start a second one). */
  | { kind: "resume"; attemptId: string }
  /** An open attempt past its deadline: finalise it with what was saved, then ask again. */
  | { kind: "finalize-overdue"; attemptId: string }
  /** Holds a valid certificate and the recertification window has not opened yet. */
  | { kind: "certified"; validUntil: Date; recertifyFrom: Date }
  | { kind: "courses-incomplete"; missing: string[] }
  | { kind: "no-attempts-left"; used: number; limit: number }
  | { kind: "retake-wait"; opensAt: Date; attemptsLeft: number }
  | { kind: "ready"; attemptsLeft: number; recertification: boolean };

const HOUR_MS = 60 * 60 * 1000;

/**
 * When a retake opens after a failed attempt: the track's wait after the attempt ended, that is after
 * its submission, or after its deadline when the server finalised it later.
 */
export function retakeOpensAt(attempt: Pick<AttemptRecord, "deadline" | "finishedAt">, retakeWaitHours: number): Date {
  const finished = attempt.finishedAt ?? attempt.deadline;
  const ended = finished.getTime() < attempt.deadline.getTime() ? finished : attempt.deadline;
  return new Date(ended.getTime() + retakeWaitHours * HOUR_MS);
}

export function examEligibility(input: EligibilityInput): Eligibility {
  const { exam, now } = input;
  const t = now.getTime();

  const open = input.attempts
    .filter((a) => a.finishedAt === null)
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  if (open.length > 0) {
    const overdue = open.find((a) => isOverdue(a.deadline, now));
    if (overdue) return { kind: "finalize-overdue", attemptId: overdue.id };
    return { kind: "resume", attemptId: open[0]!.id };
  }

  const certificate = input.certificate;
  const holdsValid = certificate !== null && certificateStatus(certificate, now) === "valid";
  const recertification = holdsValid && isInRecertificationWindow(certificate, input.recertificationWindowDays, now);
  if (holdsValid && !recertification) {
    return {
      kind: "certified",
      validUntil: certificate.validUntil,
      recertifyFrom: recertificationOpensAt(certificate.validUntil, input.recertificationWindowDays),
    };
  }

  if (!input.exemptFromCourses && input.incompleteCourseIds.length > 0) {
    return { kind: "courses-incomplete", missing: [...input.incompleteCourseIds] };
  }

  const finished = input.attempts
    .filter((a) => a.finishedAt !== null)
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  const lastPass = finished.filter((a) => a.passed === true).at(-1);
  const cycle = lastPass ? finished.filter((a) => a.startedAt.getTime() > lastPass.startedAt.getTime()) : finished;

  const limit = exam.attempts + Math.max(0, input.extraAttempts ?? 0);
  const attemptsLeft = Math.max(0, limit - cycle.length);
  if (attemptsLeft === 0) return { kind: "no-attempts-left", used: cycle.length, limit };

  const lastFail = cycle.at(-1);
  if (lastFail) {
    const opensAt = retakeOpensAt(lastFail, exam.retakeWaitHours);
    if (t < opensAt.getTime()) return { kind: "retake-wait", opensAt, attemptsLeft };
  }

  return { kind: "ready", attemptsLeft, recertification };
}

/** Milliseconds left before the deadline; never negative. */
export function timeLeftMs(deadline: Date, now: Date): number {
  return Math.max(0, deadline.getTime() - now.getTime());
}

/** An attempt is overdue from its deadline on; `graceMs` lets the server accept an answer sent just before it. */
export function isOverdue(deadline: Date, now: Date, graceMs = 0): boolean {
  return now.getTime() >= deadline.getTime() + graceMs;
}

/** Minutes left at which the timer announces the time to screen readers (and shows a warning). */
export const TIMER_ANNOUNCEMENTS_MINUTES = [5, 1] as const;
export type TimerAnnouncement = (typeof TIMER_ANNOUNCEMENTS_MINUTES)[number];

/**
 * The announcement due between two ticks of the timer, or null. When one tick crosses several
 * thresholds (a tab woke from sleep), only the most urgent is announced.
 */
export function timerAnnouncement(previousLeftMs: number, leftMs: number): TimerAnnouncement | null {
  const crossed = TIMER_ANNOUNCEMENTS_MINUTES.filter((m) => previousLeftMs > m * 60_000 && leftMs <= m * 60_000);
  return crossed.length > 0 ? Math.min(...crossed) as TimerAnnouncement : null;
}

export type TimerLevel = "normal" | "warning" | "critical" | "over";

/** How the timer looks: warning from 5 minutes left, critical from 1 minute, over at 0. */
export function timerLevel(leftMs: number): TimerLevel {
  if (leftMs <= 0) return "over";
  if (leftMs <= TIMER_ANNOUNCEMENTS_MINUTES[1] * 60_000) return "critical";
  if (leftMs <= TIMER_ANNOUNCEMENTS_MINUTES[0] * 60_000) return "warning";
  return "normal";
}

/** Splits time left for display, rounding seconds up so the timer shows 0:00 only when time is over. */
export function splitTimeLeft(leftMs: number): { hours: number; minutes: number; seconds: number } {
  const total = Math.ceil(Math.max(0, leftMs) / 1000);
  return { hours: Math.floor(total / 3600), minutes: Math.floor((total % 3600) / 60), seconds: total % 60 };
}
