import { describe, expect, it } from "vitest";
import { decideAccess, nextStepFromEligibility, type CertificateInput, type DecisionInput, type NextStep } from "~/access/decision";
import { examEligibility } from "~/assessment/exam-rules";
import { endOfTokyoDay } from "~/certification/validity";

const DAY = 24 * 60 * 60 * 1000;
const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);

// Valid through 31 March 2027 (Tokyo): 2027-03-31T14:59:59.999Z.
const END = endOfTokyoDay({ year: 2027, month: 3, day: 31 });
const NOW = new Date("2026-11-10T03:00:00.000Z");

const safeUse = { recertificationWindowDays: 60 };
const practitioner = { recertificationWindowDays: 90 };
const release = (number: number, tracks: Record<string, { recertificationWindowDays: number }> = { "ai-safe-use": safeUse, "ai-practitioner": practitioner }) => ({
  number,
  tracks: new Map(Object.entries(tracks)),
});
const chat = { id: "chat-assistant", requiredTracks: ["ai-safe-use"] };
const code = { id: "code-assistant", requiredTracks: ["ai-safe-use", "ai-practitioner"] };

let seq = 0;
function cert(overrides: Partial<CertificateInput> = {}): CertificateInput {
  seq += 1;
  return { id: `cert-${seq}`, number: `MNB-2026-${String(seq).padStart(6, "0")}`, validUntil: END, revokedAt: null, ...overrides };
}
const held = (entries: Record<string, CertificateInput[]>) => new Map(Object.entries(entries));

function decide(overrides: Partial<DecisionInput> = {}) {
  return decideAccess({
    person: { active: true },
    tool: chat,
    certificatesByTrack: new Map(),
    release: release(7),
    now: NOW,
    ...overrides,
  });
}

describe("no certificate", () => {
  it("denies, and names the next step the caller found for the track", () => {
    const courses: NextStep = { kind: "courses", courseIds: ["genai-basics", "safe-use"] };
    const d = decide({ nextSteps: new Map([["ai-safe-use", courses]]) });
    expect(d.allowed).toBe(false);
    expect(d.validUntil).toBeNull();
    expect(d.tracks).toEqual([{ trackId: "ai-safe-use", satisfiedBy: null, missing: courses }]);
    expect(d.reasons).toEqual([{ kind: "no-certificate", trackId: "ai-safe-use" }]);
  });

  it("falls back to the exam as the next step when the caller gave none", () => {
    expect(decide().tracks[0]!.missing).toEqual({ kind: "exam" });
  });

  it("passes each kind of next step through unchanged", () => {
    const steps: NextStep[] = [
      { kind: "exam" },
      { kind: "retake", opensAt: "2026-11-11T03:00:00.000Z" },
      { kind: "no-attempts-left" },
      { kind: "exam-in-progress", attemptId: "a".repeat(22) },
    ];
    for (const step of steps) expect(decide({ nextSteps: new Map([["ai-safe-use", step]]) }).tracks[0]!.missing).toEqual(step);
  });

  it("someone else's track does not count: a certificate of another track unlocks nothing", () => {
    const d = decide({ certificatesByTrack: held({ "ai-practitioner": [cert()] }) });
    expect(d.allowed).toBe(false);
  });
});

describe("a valid certificate", () => {
  it("allows, with the certificate that satisfies the track and until when, under the release it was decided in", () => {
    const c = cert();
    const d = decide({ certificatesByTrack: held({ "ai-safe-use": [c] }) });
    expect(d).toEqual({
      allowed: true,
      tool: "chat-assistant",
      release: 7,
      decidedAt: NOW.toISOString(),
      validUntil: END.toISOString(),
      tracks: [
        {
          trackId: "ai-safe-use",
          satisfiedBy: { certificateId: c.id, number: c.number, validUntil: END.toISOString(), recertifyFrom: "2027-01-30T15:00:00.000Z" },
          missing: null,
        },
      ],
      reasons: [{ kind: "certified", trackId: "ai-safe-use", certificateId: c.id, validUntil: END.toISOString() }],
      recertificationDue: [],
    });
  });

  it("is JSON as it is: the API can return it unchanged", () => {
    const d = decide({ certificatesByTrack: held({ "ai-safe-use": [cert()] }) });
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  it("is valid to the last millisecond of its day and not one millisecond after", () => {
    const certificatesByTrack = held({ "ai-safe-use": [cert()] });
    expect(decide({ certificatesByTrack, now: ms(END, -1) }).allowed).toBe(true);
    expect(decide({ certificatesByTrack, now: END }).allowed).toBe(true);
    expect(decide({ certificatesByTrack, now: ms(END, 1) }).allowed).toBe(false);
  });

  it("with several certificates of a track, the one valid longest satisfies it", () => {
    const short = cert({ validUntil: ms(END, -100 * DAY) });
    const long = cert();
    const revokedLonger = cert({ validUntil: ms(END, 300 * DAY), revokedAt: ms(NOW, -DAY) });
    const d = decide({ certificatesByTrack: held({ "ai-safe-use": [short, revokedLonger, long] }) });
    expect(d.tracks[0]!.satisfiedBy?.certificateId).toBe(long.id);
    expect(d.validUntil).toBe(END.toISOString());
  });
});

describe("expired one second ago", () => {
  it("denies, says when it expired, and gives the next step", () => {
    const c = cert();
    const now = ms(END, 1000);
    const d = decide({ certificatesByTrack: held({ "ai-safe-use": [c] }), now, nextSteps: new Map([["ai-safe-use", { kind: "exam" }]]) });
    expect(d.allowed).toBe(false);
    expect(d.validUntil).toBeNull();
    expect(d.tracks[0]).toEqual({ trackId: "ai-safe-use", satisfiedBy: null, missing: { kind: "exam" } });
    expect(d.reasons).toEqual([{ kind: "certificate-expired", trackId: "ai-safe-use", certificateId: c.id, expiredAt: END.toISOString() }]);
  });
});

describe("revoked", () => {
  it("denies from the millisecond of revocation, though the certificate's dates are still good", () => {
    const revokedAt = new Date("2026-11-10T02:00:00.000Z");
    const c = cert({ revokedAt });
    const certificatesByTrack = held({ "ai-safe-use": [c] });
    expect(decide({ certificatesByTrack, now: ms(revokedAt, -1) }).allowed).toBe(true);
    const d = decide({ certificatesByTrack, now: revokedAt });
    expect(d.allowed).toBe(false);
    expect(d.reasons).toEqual([{ kind: "certificate-revoked", trackId: "ai-safe-use", certificateId: c.id, revokedAt: revokedAt.toISOString() }]);
  });

  it("a revoked certificate beside an expired one reports the revocation, the later of the two ends", () => {
    const expired = cert({ validUntil: ms(NOW, -30 * DAY) });
    const revoked = cert({ revokedAt: ms(NOW, -DAY) });
    const d = decide({ certificatesByTrack: held({ "ai-safe-use": [revoked, expired] }) });
    expect(d.reasons[0]).toMatchObject({ kind: "certificate-revoked", certificateId: revoked.id });
  });
});

describe("one of two tracks", () => {
  it("denies, showing the track held and the one missing with its next step", () => {
    const c = cert();
    const step: NextStep = { kind: "courses", courseIds: ["ai-foundations"] };
    const d = decide({ tool: code, certificatesByTrack: held({ "ai-safe-use": [c] }), nextSteps: new Map([["ai-practitioner", step]]) });
    expect(d.allowed).toBe(false);
    expect(d.validUntil).toBeNull();
    expect(d.tracks.map((t) => [t.trackId, t.satisfiedBy?.certificateId ?? null, t.missing])).toEqual([
      ["ai-safe-use", c.id, null],
      ["ai-practitioner", null, step],
    ]);
    expect(d.reasons.map((r) => r.kind)).toEqual(["certified", "no-certificate"]);
  });

  it("with both, allows until the earlier of the two ends", () => {
    const early = cert({ validUntil: ms(END, -40 * DAY) });
    const late = cert({ validUntil: ms(END, 400 * DAY) });
    const d = decide({ tool: code, certificatesByTrack: held({ "ai-safe-use": [early], "ai-practitioner": [late] }) });
    expect(d.allowed).toBe(true);
    expect(d.validUntil).toBe(early.validUntil.toISOString());
    // …and access ends with the earlier certificate, to the millisecond.
    const certificatesByTrack = held({ "ai-safe-use": [early], "ai-practitioner": [late] });
    expect(decide({ tool: code, certificatesByTrack, now: early.validUntil }).allowed).toBe(true);
    expect(decide({ tool: code, certificatesByTrack, now: ms(early.validUntil, 1) }).allowed).toBe(false);
  });
});

describe("requirement raised by a release", () => {
  it("the same certificates allow under the release before and deny from the release that adds a track", () => {
    const certificatesByTrack = held({ "ai-safe-use": [cert()] });
    const before = decide({ tool: { id: "data-analysis-assistant", requiredTracks: ["ai-safe-use"] }, certificatesByTrack, release: release(7) });
    const after = decide({
      tool: { id: "data-analysis-assistant", requiredTracks: ["ai-safe-use", "ai-practitioner"] },
      certificatesByTrack,
      release: release(8),
    });
    expect(before).toMatchObject({ allowed: true, release: 7 });
    expect(after).toMatchObject({ allowed: false, release: 8 });
    expect(after.tracks[1]).toMatchObject({ trackId: "ai-practitioner", satisfiedBy: null });
  });

  it("a track the release does not have denies access (fail closed), even to a holder of a certificate of that id", () => {
    const d = decide({
      tool: { id: "chat-assistant", requiredTracks: ["ai-safe-use", "ai-advanced"] },
      certificatesByTrack: held({ "ai-safe-use": [cert()], "ai-advanced": [cert()] }),
    });
    expect(d.allowed).toBe(false);
    expect(d.tracks[1]).toEqual({ trackId: "ai-advanced", satisfiedBy: null, missing: { kind: "unknown-track" } });
    expect(d.reasons).toContainEqual({ kind: "unknown-track", trackId: "ai-advanced" });
  });

  it("a tool that requires nothing is refused rather than open to all", () => {
    const d = decide({ tool: { id: "x", requiredTracks: [] } });
    expect(d.allowed).toBe(false);
    expect(d.reasons).toEqual([{ kind: "no-required-tracks" }]);
  });
});

describe("inactive person", () => {
  it("is denied even with every certificate valid; the tracks still show what they hold", () => {
    const c = cert();
    const d = decide({ person: { active: false }, certificatesByTrack: held({ "ai-safe-use": [c] }) });
    expect(d.allowed).toBe(false);
    expect(d.validUntil).toBeNull();
    expect(d.reasons[0]).toEqual({ kind: "inactive" });
    expect(d.tracks[0]!.satisfiedBy?.certificateId).toBe(c.id);
  });

  it("has 'inactive' as the next step for a missing track, not a course or an exam", () => {
    const d = decide({ person: { active: false }, tool: code, certificatesByTrack: held({ "ai-safe-use": [cert()] }), nextSteps: new Map([["ai-practitioner", { kind: "exam" }]]) });
    expect(d.tracks[1]!.missing).toEqual({ kind: "inactive" });
  });
});

describe("exempted from the courses", () => {
  it("an exemption lets the person take the exam, but does not grant the tool: no certificate, no access", () => {
    // The exam rules with an exemption: the courses are skipped and the exam is the next step…
    const eligibility = examEligibility({
      exam: { attempts: 3, retakeWaitHours: 24 },
      recertificationWindowDays: 60,
      attempts: [],
      certificate: null,
      incompleteCourseIds: ["genai-basics", "safe-use"],
      exemptFromCourses: true,
      now: NOW,
    });
    const step = nextStepFromEligibility(eligibility);
    expect(step).toEqual({ kind: "exam" });
    // …and the tool stays locked until the exam is passed.
    const d = decide({ nextSteps: new Map([["ai-safe-use", step]]) });
    expect(d.allowed).toBe(false);
    expect(d.tracks[0]!.missing).toEqual({ kind: "exam" });
  });
});

describe("recertification due", () => {
  it("an allowed tool reports a certificate inside its track's window, from the first millisecond of the window", () => {
    const c = cert(); // window of 60 days: opens 2027-01-31 00:00 JST = 2027-01-30T15:00Z
    const opens = new Date("2027-01-30T15:00:00.000Z");
    const certificatesByTrack = held({ "ai-safe-use": [c] });
    expect(decide({ certificatesByTrack, now: ms(opens, -1) }).recertificationDue).toEqual([]);
    const d = decide({ certificatesByTrack, now: opens });
    expect(d.allowed).toBe(true);
    expect(d.recertificationDue).toEqual([{ trackId: "ai-safe-use", validUntil: END.toISOString(), opensAt: opens.toISOString() }]);
  });

  it("uses each track's own window", () => {
    // 70 days before the end: inside practitioner's 90-day window, outside safe use's 60.
    const now = ms(END, -70 * DAY);
    const d = decide({ tool: code, now, certificatesByTrack: held({ "ai-safe-use": [cert()], "ai-practitioner": [cert()] }) });
    expect(d.recertificationDue.map((r) => r.trackId)).toEqual(["ai-practitioner"]);
  });
});

describe("next steps from the exam rules", () => {
  const base = { exam: { attempts: 2, retakeWaitHours: 24 }, recertificationWindowDays: 60, certificate: null, now: NOW } as const;
  const failed = (hoursAgo: number) => ({
    id: `f${hoursAgo}`,
    startedAt: ms(NOW, -hoursAgo * 3600_000 - 600_000),
    deadline: ms(NOW, -hoursAgo * 3600_000 + 600_000),
    finishedAt: ms(NOW, -hoursAgo * 3600_000),
    passed: false,
  });

  it("maps courses, retake, no attempts left and an open attempt", () => {
    expect(nextStepFromEligibility(examEligibility({ ...base, attempts: [], incompleteCourseIds: ["safe-use"] }))).toEqual({ kind: "courses", courseIds: ["safe-use"] });
    expect(nextStepFromEligibility(examEligibility({ ...base, attempts: [failed(1)], incompleteCourseIds: [] }))).toEqual({
      kind: "retake",
      opensAt: ms(NOW, 23 * 3600_000).toISOString(),
    });
    expect(nextStepFromEligibility(examEligibility({ ...base, attempts: [failed(50), failed(30)], incompleteCourseIds: [] }))).toEqual({ kind: "no-attempts-left" });
    const open = { id: "open-1", startedAt: ms(NOW, -60_000), deadline: ms(NOW, 600_000), finishedAt: null, passed: null };
    expect(nextStepFromEligibility(examEligibility({ ...base, attempts: [open], incompleteCourseIds: [] }))).toEqual({ kind: "exam-in-progress", attemptId: "open-1" });
  });
});
