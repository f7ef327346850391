import { describe, expect, it } from "vitest";
import {
  TIMER_ANNOUNCEMENTS_MINUTES,
  examEligibility,
  isOverdue,
  retakeOpensAt,
  splitTimeLeft,
  timeLeftMs,
  timerAnnouncement,
  timerLevel,
  type AttemptRecord,
  type EligibilityInput,
} from "~/assessment/exam-rules";

const HOUR = 3_600_000;
const MINUTE = 60_000;
const now = new Date("2026-06-15T03:00:00.000Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

let n = 0;
/** A finished attempt that ended `endedAgo` before now and took 20 minutes of a 25-minute limit. */
function finished(endedAgo: number, passed: boolean): AttemptRecord {
  const finishedAt = ago(endedAgo);
  const startedAt = new Date(finishedAt.getTime() - 20 * MINUTE);
  return { id: `a${++n}`, startedAt, deadline: new Date(startedAt.getTime() + 25 * MINUTE), finishedAt, passed };
}
function open(startedAgo: number): AttemptRecord {
  const startedAt = ago(startedAgo);
  return { id: `open${++n}`, startedAt, deadline: new Date(startedAt.getTime() + 25 * MINUTE), finishedAt: null, passed: null };
}

const base: EligibilityInput = {
  exam: { attempts: 3, retakeWaitHours: 24 },
  recertificationWindowDays: 90,
  attempts: [],
  certificate: null,
  incompleteCourseIds: [],
  now,
};
const eligibility = (overrides: Partial<EligibilityInput>) => examEligibility({ ...base, ...overrides });

describe("who may start an exam", () => {
  it("a learner who finished the courses and never tried is ready with every attempt", () => {
    expect(eligibility({})).toEqual({ kind: "ready", attemptsLeft: 3, recertification: false });
  });

  it("a learner with unfinished required courses is told which", () => {
    expect(eligibility({ incompleteCourseIds: ["safe-use"] })).toEqual({ kind: "courses-incomplete", missing: ["safe-use"] });
  });

  it("a learner exempted from the courses may start without them", () => {
    expect(eligibility({ incompleteCourseIds: ["safe-use"], exemptFromCourses: true })).toMatchObject({ kind: "ready" });
  });

  it("an open attempt within its time is resumed, never a second one started", () => {
    const attempt = open(10 * MINUTE);
    expect(eligibility({ attempts: [finished(3 * HOUR, false), attempt] })).toEqual({ kind: "resume", attemptId: attempt.id });
  });

  it("an open attempt is resumed even when the courses changed since it started", () => {
    const attempt = open(MINUTE);
    expect(eligibility({ attempts: [attempt], incompleteCourseIds: ["safe-use"] })).toEqual({ kind: "resume", attemptId: attempt.id });
  });

  it("an open attempt past its deadline must be finalised first", () => {
    const attempt = open(25 * MINUTE); // its deadline is exactly now
    expect(eligibility({ attempts: [attempt] })).toEqual({ kind: "finalize-overdue", attemptId: attempt.id });
  });

  it("after a fail, the retake opens the track's wait after the attempt ended", () => {
    const fail = finished(10 * HOUR, false);
    expect(eligibility({ attempts: [fail] })).toEqual({
      kind: "retake-wait",
      opensAt: new Date(fail.finishedAt!.getTime() + 24 * HOUR),
      attemptsLeft: 2,
    });
  });

  it("the retake opens exactly when the wait is over", () => {
    expect(eligibility({ attempts: [finished(24 * HOUR, false)] })).toEqual({ kind: "ready", attemptsLeft: 2, recertification: false });
    expect(eligibility({ attempts: [finished(24 * HOUR - 1, false)] })).toMatchObject({ kind: "retake-wait" });
  });

  it("the wait of an attempt finalised late by the server counts from its deadline", () => {
    const startedAt = ago(30 * HOUR);
    const lateFinalised: AttemptRecord = {
      id: "late",
      startedAt,
      deadline: new Date(startedAt.getTime() + 25 * MINUTE),
      finishedAt: ago(2 * HOUR),
      passed: false,
    };
    expect(eligibility({ attempts: [lateFinalised] })).toEqual({ kind: "ready", attemptsLeft: 2, recertification: false });
    expect(retakeOpensAt(lateFinalised, 24)).toEqual(new Date(lateFinalised.deadline.getTime() + 24 * HOUR));
  });

  it("after the last allowed attempt failed, no attempts are left, however long ago", () => {
    const attempts = [finished(300 * HOUR, false), finished(200 * HOUR, false), finished(100 * HOUR, false)];
    expect(eligibility({ attempts })).toEqual({ kind: "no-attempts-left", used: 3, limit: 3 });
  });

  it("attempts granted by HR allow another try, after the wait", () => {
    const attempts = [finished(300 * HOUR, false), finished(200 * HOUR, false), finished(HOUR, false)];
    expect(eligibility({ attempts, extraAttempts: 1 })).toMatchObject({ kind: "retake-wait", attemptsLeft: 1 });
    expect(eligibility({ attempts: attempts.slice(0, 2).concat(finished(30 * HOUR, false)), extraAttempts: 1 })).toEqual({
      kind: "ready",
      attemptsLeft: 1,
      recertification: false,
    });
  });

  it("the attempt count does not depend on the order the attempts are listed in", () => {
    const attempts = [finished(100 * HOUR, false), finished(300 * HOUR, true), finished(200 * HOUR, false)];
    expect(eligibility({ attempts: [...attempts].reverse() })).toEqual(eligibility({ attempts }));
    expect(eligibility({ attempts })).toMatchObject({ kind: "ready", attemptsLeft: 1 });
  });
});

describe("certificate holders and recertification", () => {
  const validUntil = new Date("2027-03-31T14:59:59.999Z"); // through 31 March 2027 in Tokyo
  const certificate = { validUntil, revokedAt: null };
  const history = [finished(500 * HOUR, false), finished(400 * HOUR, false), finished(300 * HOUR, true)];

  it("a holder outside the recertification window is certified, and told when recertification opens", () => {
    expect(eligibility({ attempts: history, certificate })).toEqual({
      kind: "certified",
      validUntil,
      recertifyFrom: new Date("2026-12-31T15:00:00.000Z"),
    });
  });

  it("a holder is certified even when a new release added lessons to a required course", () => {
    expect(eligibility({ attempts: history, certificate, incompleteCourseIds: ["safe-use"] })).toMatchObject({ kind: "certified" });
  });

  it("inside the window a holder may recertify, with a fresh count of attempts", () => {
    expect(eligibility({ attempts: history, certificate, now: new Date("2027-01-10T00:00:00Z") })).toEqual({
      kind: "ready",
      attemptsLeft: 3,
      recertification: true,
    });
  });

  it("a recertifying holder who fails waits and uses up attempts of the new cycle", () => {
    const inWindow = new Date("2027-01-10T00:00:00Z");
    const failedRecert: AttemptRecord = {
      id: "recert-1",
      startedAt: new Date(inWindow.getTime() - 3 * HOUR),
      deadline: new Date(inWindow.getTime() - 3 * HOUR + 25 * MINUTE),
      finishedAt: new Date(inWindow.getTime() - 3 * HOUR + 20 * MINUTE),
      passed: false,
    };
    expect(eligibility({ attempts: [...history, failedRecert], certificate, now: inWindow })).toEqual({
      kind: "retake-wait",
      opensAt: new Date(failedRecert.finishedAt!.getTime() + 24 * HOUR),
      attemptsLeft: 2,
    });
  });

  it("after expiry the learner starts over: not a recertification, a fresh count", () => {
    const afterExpiry = new Date(validUntil.getTime() + 1);
    expect(eligibility({ attempts: history, certificate, now: afterExpiry })).toEqual({ kind: "ready", attemptsLeft: 3, recertification: false });
  });

  it("a revoked certificate does not count as certified", () => {
    const revoked = { validUntil, revokedAt: ago(HOUR) };
    expect(eligibility({ attempts: history, certificate: revoked })).toEqual({ kind: "ready", attemptsLeft: 3, recertification: false });
  });
});

describe("the exam timer", () => {
  const deadline = new Date("2026-06-15T03:25:00.000Z");

  it("time left counts down to the deadline and never goes negative", () => {
    expect(timeLeftMs(deadline, now)).toBe(25 * MINUTE);
    expect(timeLeftMs(deadline, deadline)).toBe(0);
    expect(timeLeftMs(deadline, new Date(deadline.getTime() + 5000))).toBe(0);
  });

  it("an attempt is overdue from its deadline on, later only by the grace given", () => {
    expect(isOverdue(deadline, new Date(deadline.getTime() - 1))).toBe(false);
    expect(isOverdue(deadline, deadline)).toBe(true);
    expect(isOverdue(deadline, new Date(deadline.getTime() + 1999), 2000)).toBe(false);
    expect(isOverdue(deadline, new Date(deadline.getTime() + 2000), 2000)).toBe(true);
  });

  it("announces 5 minutes and 1 minute left once each, as the tick crosses them", () => {
    expect(TIMER_ANNOUNCEMENTS_MINUTES).toEqual([5, 1]);
    expect(timerAnnouncement(5 * MINUTE + 1000, 5 * MINUTE)).toBe(5);
    expect(timerAnnouncement(5 * MINUTE, 5 * MINUTE - 1000)).toBeNull();
    expect(timerAnnouncement(6 * MINUTE, 5 * MINUTE + 1000)).toBeNull();
    expect(timerAnnouncement(MINUTE + 500, MINUTE - 500)).toBe(1);
    expect(timerAnnouncement(30_000, 29_000)).toBeNull();
  });

  it("announces only the most urgent threshold when one tick crosses both (a tab woke from sleep)", () => {
    expect(timerAnnouncement(10 * MINUTE, 30_000)).toBe(1);
  });

  it("turns to warning at 5 minutes, critical at 1 minute and over at 0", () => {
    expect(timerLevel(5 * MINUTE + 1)).toBe("normal");
    expect(timerLevel(5 * MINUTE)).toBe("warning");
    expect(timerLevel(MINUTE + 1)).toBe("warning");
    expect(timerLevel(MINUTE)).toBe("critical");
    expect(timerLevel(1)).toBe("critical");
    expect(timerLevel(0)).toBe("over");
  });

  it("splits the time left for display, rounding seconds up so 0:00 means over", () => {
    expect(splitTimeLeft(25 * MINUTE)).toEqual({ hours: 0, minutes: 25, seconds: 0 });
    expect(splitTimeLeft(3_661_000)).toEqual({ hours: 1, minutes: 1, seconds: 1 });
    expect(splitTimeLeft(1)).toEqual({ hours: 0, minutes: 0, seconds: 1 });
    expect(splitTimeLeft(0)).toEqual({ hours: 0, minutes: 0, seconds: 0 });
    expect(splitTimeLeft(-5000)).toEqual({ hours: 0, minutes: 0, seconds: 0 });
  });
});
