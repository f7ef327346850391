import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, lte, sql } from "drizzle-orm";
import { getDb, preparedSql, rowsOf, type Transaction } from "#db/client.server";
import { env } from "~/env.server";
import { examAnswers, examAttempts, examEvents, type AttemptEventKind, type AttemptItemRow } from "#db/schema";
import { awardCertificate, hasCourseExemption, latestCertificate } from "~/certification/certificates.server";
import { displayText, getReleaseByNumber, requireRelease, type LoadedRelease } from "~/content/release.server";
import type { Language, Question, Track } from "~/content/types";
import { getLearnerProgress, progressOfCourses } from "~/learning/progress.server";
import { assembleAttempt } from "./exam-assembly";
import { gradeExam, type ExamResult } from "./exam-grading";
import { examEligibility, isOverdue, type AttemptRecord, type Eligibility } from "./exam-rules";
import { normalizeAnswer } from "./grading";
import { RANDOM_ALGORITHM } from "./random";

type Db = Transaction | ReturnType<typeof getDb>;

/** Attempt ids are unguessable (they appear in URLs); only the owner can use one anyway. */
const ATTEMPT_ID = /^[A-Za-z0-9_-]{22}$/;
const newAttemptId = () => randomBytes(16).toString("base64url");

async function attemptRecords(db: Db, userId: string, trackId: string): Promise<AttemptRecord[]> {
  const rows = await db
    .select({ id: examAttempts.id, startedAt: examAttempts.startedAt, deadline: examAttempts.deadline, finishedAt: examAttempts.finishedAt, passed: examAttempts.passed })
    .from(examAttempts)
    .where(and(eq(examAttempts.userId, userId), eq(examAttempts.trackId, trackId)))
    .orderBy(asc(examAttempts.startedAt));
  return rows.map((r) => ({
    id: r.id,
    startedAt: new Date(r.startedAt),
    deadline: new Date(r.deadline),
    finishedAt: r.finishedAt ? new Date(r.finishedAt) : null,
    passed: r.passed,
  }));
}

/** Courses of the track that the person has not completed in the current release. */
async function incompleteCourses(release: LoadedRelease, userId: string, track: Track): Promise<string[]> {
  const progress = progressOfCourses(release, await getLearnerProgress(userId));
  const done = new Set(progress.filter((p) => p.status === "complete").map((p) => p.courseId));
  return track.courses.filter((id) => release.courses.has(id) && !done.has(id));
}

/**
 * `knownMissing`: the incomplete courses when the caller already read them. Inside a transaction it
 * must: course progress is read through the pool, and the embedded database (one connection) would
 * wait for the open transaction forever.
 */
async function eligibilityOf(db: Db, release: LoadedRelease, userId: string, track: Track, now: Date, knownMissing?: string[]) {
  const [attempts, certificate, exempt, missing] = await Promise.all([
    attemptRecords(db, userId, track.id),
    latestCertificate(db, userId, track.id),
    hasCourseExemption(db, userId, track.id),
    knownMissing ?? incompleteCourses(release, userId, track),
  ]);
  const eligibility = examEligibility({
    exam: track.exam,
    recertificationWindowDays: track.recertificationWindowDays,
    attempts,
    certificate,
    incompleteCourseIds: missing,
    exemptFromCourses: exempt,
    now,
  });
  return { eligibility, attempts, certificate, exempt, missing };
}

async function recordEvent(db: Db, attemptId: string, kind: AttemptEventKind, at: Date, details: Record<string, unknown> = {}) {
  await db.insert(examEvents).values({ attemptId, kind, at, details });
}

/**
 * The release an attempt is pinned to. Releases are immutable and cached; load it before opening a
 * transaction (inside one, only the transaction's handle may query: PGlite has a single connection).
 */
async function pinnedRelease(releaseNumber: number): Promise<LoadedRelease> {
  const release = await getReleaseByNumber(releaseNumber);
  if (!release) throw new Error(`Release #${releaseNumber} of an exam attempt is missing`);
  return release;
}

/** The pinned questions of an attempt, from the release it was drawn from. */
function pinnedQuestions(release: LoadedRelease, items: readonly AttemptItemRow[]): Question[] {
  return items.map((item) => {
    const q = release.questions.get(item.questionId);
    if (!q) throw new Error(`Question ${item.questionId} is missing from release #${release.number}`);
    return q;
  });
}

/**
 * What never changes about an attempt once started — owner, track, release and items — cached per
 * process, so a save needs no extra query to validate its answer.
 */
type AttemptMeta = { id: string; userId: string; trackId: string; releaseNumber: number; items: AttemptItemRow[] };
const metaKey = Symbol.for("manabi.attempt-meta");
const metaCache = ((globalThis as typeof globalThis & { [metaKey]?: Map<string, AttemptMeta> })[metaKey] ??= new Map());
const META_MAX = 20_000;

async function attemptMeta(attemptId: string): Promise<AttemptMeta | null> {
  const cached = metaCache.get(attemptId);
  if (cached) return cached;
  const [row] = await getDb()
    .select({ id: examAttempts.id, userId: examAttempts.userId, trackId: examAttempts.trackId, releaseNumber: examAttempts.releaseNumber, items: examAttempts.items })
    .from(examAttempts)
    .where(eq(examAttempts.id, attemptId));
  if (!row) return null;
  metaCache.set(attemptId, row);
  if (metaCache.size > META_MAX) metaCache.delete(metaCache.keys().next().value!);
  return row;
}

/**
 * Grades an open attempt once and closes it, awarding the certificate when it passed. The caller holds
 * the attempt row's lock (SELECT … FOR UPDATE), so a second submit, a racing save or the sweep waits
 * and then finds it finished.
 */
async function finishLocked(
  tx: Transaction,
  release: LoadedRelease,
  attempt: { id: string; userId: string; trackId: string; releaseNumber: number; items: AttemptItemRow[]; deadline: Date },
  reason: "submitted" | "timeout",
  now: Date,
): Promise<{ passed: boolean; certificateId: string | null }> {
  const track = release.tracks.get(attempt.trackId);
  if (release.number !== attempt.releaseNumber || !track) throw new Error(`Track ${attempt.trackId} of release #${attempt.releaseNumber} is missing`);
  const questions = pinnedQuestions(release, attempt.items);
  const saved = await tx
    .select({ position: examAnswers.position, answer: examAnswers.answer })
    .from(examAnswers)
    .where(eq(examAnswers.attemptId, attempt.id));
  const answers = new Map(saved.map((s) => [attempt.items[s.position]!.questionId, s.answer]));
  const result = gradeExam(questions, answers, track.exam);
  // A timed-out attempt ends at its deadline: that is when it was passed, if it was.
  const finishedAt = reason === "timeout" ? new Date(Math.min(now.getTime(), attempt.deadline.getTime())) : now;
  await tx
    .update(examAttempts)
    .set({ status: "finished", finishedAt, endReason: reason, passed: result.passed, result })
    .where(eq(examAttempts.id, attempt.id));
  await recordEvent(tx, attempt.id, reason === "timeout" ? "timeout" : "submit", now, {
    correct: result.correct,
    total: result.total,
    passed: result.passed,
    answered: saved.filter((s) => s.answer.length > 0).length,
  });
  const certificate = result.passed
    ? await awardCertificate(tx, { userId: attempt.userId, track, attemptId: attempt.id, passedAt: finishedAt })
    : null;
  return { passed: result.passed, certificateId: certificate?.id ?? null };
}

async function lockAttempt(tx: Transaction, attemptId: string) {
  const [row] = await tx
    .select({
      id: examAttempts.id,
      userId: examAttempts.userId,
      trackId: examAttempts.trackId,
      releaseNumber: examAttempts.releaseNumber,
      items: examAttempts.items,
      status: examAttempts.status,
      deadline: examAttempts.deadline,
    })
    .from(examAttempts)
    .where(eq(examAttempts.id, attemptId))
    .for("update");
  return row ? { ...row, deadline: new Date(row.deadline) } : null;
}

/** Finishes an overdue attempt with the answers saved in time (idempotent; anyone's, for the sweep). */
async function finalizeIfOverdue(attemptId: string, now: Date): Promise<void> {
  const meta = await attemptMeta(attemptId);
  if (!meta) return;
  const release = await pinnedRelease(meta.releaseNumber);
  await getDb().transaction(async (tx) => {
    const attempt = await lockAttempt(tx, attemptId);
    if (!attempt || attempt.status !== "open" || !isOverdue(attempt.deadline, now)) return;
    await finishLocked(tx, release, attempt, "timeout", now);
  });
}

/**
 * The periodic sweep: finishes attempts whose deadline passed while nobody came back. Correctness does
 * not depend on it — every read of an attempt finalises an overdue one first — it only makes results
 * (and certificates) appear without the learner returning.
 */
export async function finalizeOverdueAttempts(now = new Date(), limit = 200): Promise<number> {
  const overdue = await getDb()
    .select({ id: examAttempts.id })
    .from(examAttempts)
    .where(and(eq(examAttempts.status, "open"), lte(examAttempts.deadline, now)))
    .limit(limit);
  for (const { id } of overdue) await finalizeIfOverdue(id, now);
  return overdue.length;
}

// ---------------------------------------------------------------------------------------------------
// The track page

export async function trackView(userId: string, trackId: string, lang: Language, now = new Date()) {
  const release = await requireRelease();
  const track = release.tracks.get(trackId);
  if (!track) return null;
  let state = await eligibilityOf(getDb(), release, userId, track, now);
  if (state.eligibility.kind === "finalize-overdue") {
    await finalizeIfOverdue(state.eligibility.attemptId, now);
    state = await eligibilityOf(getDb(), release, userId, track, now);
  }
  const progress = progressOfCourses(release, await getLearnerProgress(userId));
  const domainName = (id: string) => release.bundle.domains.find((d) => d.id === id)?.name[lang] ?? id;
  const finished = await getDb()
    .select({ id: examAttempts.id, finishedAt: examAttempts.finishedAt, passed: examAttempts.passed, result: examAttempts.result })
    .from(examAttempts)
    .where(and(eq(examAttempts.userId, userId), eq(examAttempts.trackId, track.id), eq(examAttempts.status, "finished")))
    .orderBy(desc(examAttempts.finishedAt));
  return {
    track: { id: track.id, title: track.title[lang], summary: track.summary[lang] },
    courses: track.courses
      .map((id) => release.courses.get(id))
      .filter((c): c is NonNullable<typeof c> => Boolean(c))
      .map((c) => {
        const p = progress.find((x) => x.courseId === c.id);
        return { id: c.id, title: c.title[lang], status: p?.status ?? "not-started", completed: p?.completed ?? 0, total: p?.total ?? 0 };
      }),
    rules: {
      questions: track.exam.blueprint.reduce((n, b) => n + b.count, 0),
      timeLimitMinutes: track.exam.timeLimitMinutes,
      passPercent: track.exam.passPercent,
      minimums: track.exam.minimums.map((m) => ({ domains: m.domains.map(domainName), percent: m.percent })),
      attempts: track.exam.attempts,
      retakeWaitHours: track.exam.retakeWaitHours,
      validityMonths: track.validityMonths,
    },
    eligibility: serializeEligibility(state.eligibility),
    exempt: state.exempt,
    attempts: finished.map((a) => ({
      id: a.id,
      finishedAt: a.finishedAt ? new Date(a.finishedAt).toISOString() : null,
      passed: Boolean(a.passed),
      percent: a.result?.percent ?? 0,
    })),
  };
}

function serializeEligibility(e: Eligibility) {
  switch (e.kind) {
    case "certified":
      return { kind: e.kind, validUntil: e.validUntil.toISOString(), recertifyFrom: e.recertifyFrom.toISOString() };
    case "retake-wait":
      return { kind: e.kind, opensAt: e.opensAt.toISOString(), attemptsLeft: e.attemptsLeft };
    default:
      return e;
  }
}

// ---------------------------------------------------------------------------------------------------
// Starting

export type StartResult =
  | { kind: "not-found" }
  | { kind: "started" | "resumed"; attemptId: string }
  | { kind: "refused"; eligibility: Exclude<Eligibility, { kind: "ready" | "resume" | "finalize-overdue" }> }
  | { kind: "unavailable" };

/**
 * Starts the track's exam (or returns the open attempt). The server fixes everything at the start:
 * questions drawn per domain avoiding the previous attempt, the option order, the deadline and the
 * release. One transaction under a per-person-and-track lock: two tabs starting at once get one attempt.
 */
export async function startExam(input: { userId: string; trackId: string; lang: Language; now?: Date }): Promise<StartResult> {
  const now = input.now ?? new Date();
  const release = await requireRelease();
  const track = release.tracks.get(input.trackId);
  if (!track) return { kind: "not-found" };
  // Finish an overdue attempt first, outside the start transaction (it may award a certificate).
  const before = await eligibilityOf(getDb(), release, input.userId, track, now);
  if (before.eligibility.kind === "finalize-overdue") await finalizeIfOverdue(before.eligibility.attemptId, now);

  return getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`exam:${input.userId}:${track.id}`}))`);
    const { eligibility, attempts } = await eligibilityOf(tx, release, input.userId, track, now, before.missing);
    if (eligibility.kind === "resume") return { kind: "resumed", attemptId: eligibility.attemptId } as const;
    if (eligibility.kind === "finalize-overdue") return { kind: "unavailable" } as const;
    if (eligibility.kind !== "ready") return { kind: "refused", eligibility } as const;

    const previous = await tx
      .select({ items: examAttempts.items })
      .from(examAttempts)
      .where(and(eq(examAttempts.userId, input.userId), eq(examAttempts.trackId, track.id)))
      .orderBy(desc(examAttempts.startedAt));
    // The seed names its algorithm, so an audit can reproduce the draw exactly.
    const seed = `${RANDOM_ALGORITHM}:${randomBytes(16).toString("base64url")}`;
    const plan = assembleAttempt({
      exam: track.exam,
      questions: release.bundle.questions.filter((q) => track.courses.includes(q.courseId)),
      previousAttempts: previous.map((p) => p.items.map((i) => i.questionId)),
      seed,
      startedAt: now,
    });
    if (plan.kind !== "planned") return { kind: "unavailable" } as const;
    const attemptId = newAttemptId();
    await tx.insert(examAttempts).values({
      id: attemptId,
      userId: input.userId,
      trackId: track.id,
      releaseNumber: release.number,
      seed,
      items: plan.items,
      startedAt: now,
      deadline: plan.deadline,
    });
    await recordEvent(tx, attemptId, "start", now, {
      lang: input.lang,
      release: release.number,
      questions: plan.items.length,
      attemptNumber: attempts.filter((a) => a.finishedAt !== null).length + 1,
      repeated: plan.repeatedQuestionIds.length,
    });
    return { kind: "started", attemptId } as const;
  });
}

// ---------------------------------------------------------------------------------------------------
// Taking

async function ownAttempt(userId: string, attemptId: string) {
  if (!ATTEMPT_ID.test(attemptId)) return null;
  const [row] = await getDb()
    .select()
    .from(examAttempts)
    .where(and(eq(examAttempts.id, attemptId), eq(examAttempts.userId, userId)));
  return row ? { ...row, deadline: new Date(row.deadline), startedAt: new Date(row.startedAt) } : null;
}

export type ExamQuestionView = {
  position: number;
  type: Question["type"];
  stem: string;
  /** In the attempt's order; for true/false the two choices. No keys, no explanations. */
  options: { id: string; text: string }[];
};

export type ExamSessionView =
  | { kind: "not-found" }
  | { kind: "finished" }
  | {
      kind: "open";
      attemptId: string;
      track: { id: string; title: string };
      deadline: string;
      serverNow: string;
      position: number;
      questions: ExamQuestionView[];
      answers: { position: number; answer: string[]; flagged: boolean }[];
    };

/**
 * Everything the exam page shows for an open attempt, in the reader's language: never a key or an
 * explanation. An attempt past its deadline is finalised first, whether or not the sweep ran.
 */
export async function examSession(userId: string, attemptId: string, lang: Language, now = new Date()): Promise<ExamSessionView> {
  const attempt = await ownAttempt(userId, attemptId);
  if (!attempt) return { kind: "not-found" };
  if (attempt.status === "finished") return { kind: "finished" };
  if (isOverdue(attempt.deadline, now)) {
    await finalizeIfOverdue(attempt.id, now);
    return { kind: "finished" };
  }
  const pinned = await pinnedRelease(attempt.releaseNumber);
  const questions = pinnedQuestions(pinned, attempt.items);
  const [saved, lastLanguage] = await Promise.all([
    getDb()
      .select({ position: examAnswers.position, answer: examAnswers.answer, flagged: examAnswers.flagged })
      .from(examAnswers)
      .where(eq(examAnswers.attemptId, attempt.id)),
    getDb()
      .select({ details: examEvents.details })
      .from(examEvents)
      .where(and(eq(examEvents.attemptId, attempt.id), sql`${examEvents.kind} in ('start', 'language')`))
      .orderBy(desc(examEvents.id))
      .limit(1),
  ]);
  if (lastLanguage[0] && lastLanguage[0].details.lang !== lang) {
    await recordEvent(getDb(), attempt.id, "language", now, { lang, from: lastLanguage[0].details.lang ?? null });
  }
  const track = pinned.tracks.get(attempt.trackId);
  const trueFalse = (l: Language) =>
    l === "ja"
      ? [
          { id: "true", text: "正しい" },
          { id: "false", text: "誤り" },
        ]
      : [
          { id: "true", text: "True" },
          { id: "false", text: "False" },
        ];
  return {
    kind: "open",
    attemptId: attempt.id,
    track: { id: attempt.trackId, title: track?.title[lang] ?? attempt.trackId },
    deadline: attempt.deadline.toISOString(),
    serverNow: now.toISOString(),
    position: attempt.position,
    questions: questions.map((q, position) => {
      const order = attempt.items[position]!.optionOrder;
      const byId = new Map(q.options.map((o) => [o.id, o]));
      return {
        position,
        type: q.type,
        stem: displayText(pinned, q.stem[lang], lang),
        options: q.type === "truefalse" ? trueFalse(lang) : order.map((id) => ({ id, text: displayText(pinned, byId.get(id)!.text[lang], lang) })),
      };
    }),
    answers: saved.map((s) => ({ position: s.position, answer: s.answer, flagged: s.flagged })),
  };
}

export type SaveResult =
  | { kind: "saved"; savedAt: string }
  | { kind: "not-found" }
  | { kind: "invalid" }
  /** The attempt is already finished (submitted, or finalised at its deadline). */
  | { kind: "finished" }
  /** Arrived after the deadline: refused, and the attempt is finalised with what was saved in time. */
  | { kind: "deadline-passed" };

/** One question's change in a save: its answer, its flag or both, and where the learner is now. */
type SaveChange = {
  attemptId: string;
  position: number;
  answer?: readonly string[];
  flagged?: boolean;
  /** Where the learner is now (to resume there); defaults to `position`. */
  at?: number;
  now?: Date;
};

/**
 * Saves one answer (or a flag, or clears an answer with an empty list) and where the learner is. Cheap
 * on purpose — one short transaction, no page data — because every candidate saves every few seconds.
 * The attempt row is locked by the first statement, so a save and a submit never interleave.
 */
export async function saveExamAnswer(input: SaveChange & { userId: string }): Promise<SaveResult> {
  const now = input.now ?? new Date();
  const checked = await checkSave(input);
  if (checked.kind !== "checked") return checked;
  const { answer, invalid } = checked;
  // An answer that names no option is refused — but a late or finished attempt is reported as such first.
  const outcome = invalid ? null : await saveStatement(input.attemptId, input.userId, input.position, input.at ?? input.position, answer, input.flagged, now);
  if (outcome) return outcome;

  // Refused: say why.
  const attempt = await ownAttempt(input.userId, input.attemptId);
  if (!attempt) return { kind: "not-found" };
  if (attempt.status === "finished") return { kind: "finished" };
  if (invalid && !isOverdue(attempt.deadline, now)) return { kind: "invalid" };
  await recordEvent(getDb(), attempt.id, "late-save", now, { position: input.position });
  await finalizeIfOverdue(attempt.id, now);
  return { kind: "deadline-passed" };
}

/**
 * The save statement of each shape (an answer, a flag, or both), prepared once per database. With
 * `checksSession`, the attempt is updated only when the session is the owner's, live, of an active person
 * and not yet due for lucia's sliding renewal (`renewBefore`, `createdAfter`): the autosave's common
 * case in one round trip (saveWithSession).
 */
function saveStatementFor(setsAnswer: boolean, setsFlag: boolean, checksSession = false) {
  const kind: AttemptEventKind = setsAnswer ? "save" : "flag";
  const p = (name: string) => sql.placeholder(name);
  const owner = checksSession
    ? sql`(
        select s.user_id from sessions s join users u on u.id = s.user_id
        where s.id = ${p("sessionId")}::text and s.user_id = ${p("userId")}::text and u.active
          and s.expires_at > ${p("renewBefore")}::timestamptz and s.created_at > ${p("createdAfter")}::timestamptz
      )`
    : sql`${p("userId")}::text`;
  const name = `exam_save_${setsAnswer ? "a" : ""}${setsFlag ? "f" : ""}${checksSession ? "_s" : ""}`;
  return preparedSql(getDb(), name, () => sql`
    with attempt as (
      update exam_attempts set position = ${p("at")}::smallint
      where id = ${p("attemptId")}::text and user_id = ${owner} and status = 'open' and deadline > ${p("savedAt")}::timestamptz
      returning id
    ), answer as (
      insert into exam_answers (attempt_id, position, answer, flagged, saved_at)
      select id, ${p("position")}::smallint, ${p("answer")}::jsonb, ${p("flagged")}::boolean, ${p("savedAt")}::timestamptz from attempt
      on conflict (attempt_id, position) do update set
        saved_at = excluded.saved_at,
        answer = ${setsAnswer ? sql`excluded.answer` : sql`exam_answers.answer`},
        flagged = ${setsFlag ? sql`excluded.flagged` : sql`exam_answers.flagged`}
    ), event as (
      insert into exam_events (attempt_id, kind, at, details)
      select id, ${sql.raw(`'${kind}'`)}, ${p("savedAt")}::timestamptz, ${p("details")}::jsonb from attempt
    )
    select id from attempt`);
}

/**
 * The save in one statement (one round trip, atomic): the UPDATE of the attempt row — open, the
 * owner's, before its deadline — takes the row's lock, so a save and a submit (SELECT … FOR UPDATE)
 * never interleave; the answer's upsert and the save event are written only when it returned the row.
 * An answer or a flag left out keeps its stored value. Returns the outcome, or null when refused.
 */
async function saveStatement(
  attemptId: string,
  userId: string,
  position: number,
  at: number,
  answer: string[] | undefined,
  flagged: boolean | undefined,
  now: Date,
  session?: { id: string; renewBefore: Date; createdAfter: Date },
): Promise<{ kind: "saved"; savedAt: string } | null> {
  const savedAt = now.toISOString();
  const details = { position, ...(answer ? { answer } : {}), ...(flagged !== undefined ? { flagged } : {}) };
  const result = await saveStatementFor(answer !== undefined, flagged !== undefined, session !== undefined).execute({
    ...(session ? { sessionId: session.id, renewBefore: session.renewBefore.toISOString(), createdAfter: session.createdAfter.toISOString() } : {}),
    attemptId,
    userId,
    at,
    position,
    answer: JSON.stringify(answer ?? []),
    flagged: flagged ?? false,
    savedAt,
    details: JSON.stringify(details),
  });
  return rowsOf<{ id: string }>(result).length > 0 ? { kind: "saved", savedAt } : null;
}

type SaveInput = { userId?: string; attemptId: string; position: number; answer?: readonly string[]; at?: number };

/**
 * What a save can decide before the database: the attempt exists (and is the person's, when known),
 * the positions are the attempt's, the answer normalised — or `invalid` when it names no option.
 */
async function checkSave(
  input: SaveInput,
): Promise<{ kind: "not-found" } | { kind: "invalid" } | { kind: "checked"; meta: AttemptMeta; answer: string[] | undefined; invalid: boolean }> {
  if (!ATTEMPT_ID.test(input.attemptId) || !Number.isInteger(input.position) || input.position < 0 || input.position > 1000) {
    return { kind: "not-found" };
  }
  const meta = await attemptMeta(input.attemptId);
  if (!meta || (input.userId !== undefined && meta.userId !== input.userId)) return { kind: "not-found" };
  const item = meta.items[input.position];
  if (!item || (input.at !== undefined && (!Number.isInteger(input.at) || !meta.items[input.at]))) return { kind: "invalid" };
  let answer: string[] | undefined;
  let invalid = false;
  if (input.answer) {
    if (input.answer.length === 0) answer = [];
    else {
      const [question] = pinnedQuestions(await pinnedRelease(meta.releaseNumber), [item]);
      const normalized = normalizeAnswer(question!, input.answer);
      if (normalized) answer = normalized;
      else invalid = true;
    }
  }
  return { kind: "checked", meta, answer, invalid };
}

/**
 * The autosave's common case in one statement: the session (by id, as the cookie holds it) is checked
 * in the save itself. Saves only when the session is live, of an active person who owns the attempt,
 * and not due for lucia's sliding renewal; the attempt open and before its deadline; the input valid.
 * Anything else returns null and writes nothing: the caller then takes the ordinary path (the session
 * through lucia, then saveExamAnswer), which decides and says why.
 */
export async function saveWithSession(input: SaveChange & { sessionId: string }): Promise<{ kind: "saved"; savedAt: string } | null> {
  const now = input.now ?? new Date();
  const checked = await checkSave(input);
  if (checked.kind !== "checked" || checked.invalid) return null;
  const { sessionIdleMs, sessionMaxAgeMs } = env();
  return saveStatement(input.attemptId, checked.meta.userId, input.position, input.at ?? input.position, checked.answer, input.flagged, now, {
    id: input.sessionId,
    // lucia extends a session once less than half of its idle time is left: such a session goes through lucia.
    renewBefore: new Date(now.getTime() + sessionIdleMs / 2),
    createdAfter: new Date(now.getTime() - sessionMaxAgeMs),
  });
}

export type SubmitResult = { kind: "not-found" } | { kind: "finished"; passed: boolean; already: boolean };

/** Submits: grades once. A double click, a second tab or a retry all get the one result. */
export async function submitExam(input: { userId: string; attemptId: string; now?: Date }): Promise<SubmitResult> {
  const now = input.now ?? new Date();
  if (!ATTEMPT_ID.test(input.attemptId)) return { kind: "not-found" };
  const meta = await attemptMeta(input.attemptId);
  if (!meta || meta.userId !== input.userId) return { kind: "not-found" };
  const release = await pinnedRelease(meta.releaseNumber);
  return getDb().transaction(async (tx) => {
    const attempt = await lockAttempt(tx, input.attemptId);
    if (!attempt || attempt.userId !== input.userId) return { kind: "not-found" } as const;
    if (attempt.status === "finished") {
      const [row] = await tx.select({ passed: examAttempts.passed }).from(examAttempts).where(eq(examAttempts.id, attempt.id));
      return { kind: "finished", passed: Boolean(row?.passed), already: true } as const;
    }
    const reason = isOverdue(attempt.deadline, now) ? "timeout" : "submitted";
    const { passed } = await finishLocked(tx, release, attempt, reason, now);
    return { kind: "finished", passed, already: false } as const;
  });
}

// ---------------------------------------------------------------------------------------------------
// The result

export async function examResultView(userId: string, attemptId: string, lang: Language, now = new Date()) {
  let attempt = await ownAttempt(userId, attemptId);
  if (!attempt) return null;
  if (attempt.status === "open") {
    if (!isOverdue(attempt.deadline, now)) return { kind: "open" as const };
    await finalizeIfOverdue(attempt.id, now);
    attempt = (await ownAttempt(userId, attemptId))!;
  }
  const result = attempt.result as ExamResult;
  const pinned = await pinnedRelease(attempt.releaseNumber);
  const current = await requireRelease();
  const questions = pinnedQuestions(pinned, attempt.items);
  const track = pinned.tracks.get(attempt.trackId) ?? current.tracks.get(attempt.trackId);
  const domainName = (id: string) =>
    current.bundle.domains.find((d) => d.id === id)?.name[lang] ?? pinned.bundle.domains.find((d) => d.id === id)?.name[lang] ?? id;
  const lessonLink = (lessonId: string) => {
    const l = current.lessons.get(lessonId);
    return l ? { courseId: l.courseId, lessonId: l.id, title: l.title[lang] } : null;
  };
  const saved = await getDb()
    .select({ position: examAnswers.position, answer: examAnswers.answer })
    .from(examAnswers)
    .where(eq(examAnswers.attemptId, attempt.id));
  const mine = new Map(saved.map((s) => [s.position, s.answer]));
  const [certificate, next] = await Promise.all([
    attempt.passed ? latestCertificate(getDb(), userId, attempt.trackId) : Promise.resolve(null),
    track ? eligibilityOf(getDb(), current, userId, track, now) : Promise.resolve(null),
  ]);
  const trueFalseText = (id: string) => (id === "true" ? (lang === "ja" ? "正しい" : "True") : lang === "ja" ? "誤り" : "False");
  return {
    kind: "finished" as const,
    attemptId: attempt.id,
    track: { id: attempt.trackId, title: track?.title[lang] ?? attempt.trackId },
    finishedAt: attempt.finishedAt ? new Date(attempt.finishedAt).toISOString() : null,
    endReason: attempt.endReason,
    passed: Boolean(attempt.passed),
    score: { correct: result.correct, total: result.total, percent: result.percent, passPercent: result.passPercent },
    domains: result.domains.map((d) => ({ ...d, name: domainName(d.domain) })),
    minimums: result.minimums.map((m) => ({ ...m, names: m.domains.map(domainName) })),
    study: result.studyDomains.map((domain) => ({
      domain,
      name: domainName(domain),
      lessons: [
        ...new Map(
          questions
            .filter((q) => q.domain === domain)
            .map((q) => lessonLink(q.lesson))
            .filter((l): l is NonNullable<typeof l> => Boolean(l))
            .map((l) => [l.lessonId, l]),
        ).values(),
      ],
    })),
    certificateId: certificate?.id ?? null,
    next: next ? serializeEligibility(next.eligibility) : null,
    review: questions.map((q, position) => {
      const order = attempt.items[position]!.optionOrder;
      const byId = new Map(q.options.map((o) => [o.id, o]));
      const options =
        q.type === "truefalse"
          ? ["true", "false"].map((id) => ({ id, text: trueFalseText(id) }))
          : order.map((id) => ({ id, text: displayText(pinned, byId.get(id)!.text[lang], lang) }));
      return {
        position,
        type: q.type,
        stem: displayText(pinned, q.stem[lang], lang),
        options,
        mine: mine.get(position) ?? [],
        key: q.answer,
        correct: result.items[position]?.correct ?? false,
        explanation: displayText(pinned, q.explanation[lang], lang),
        domain: domainName(q.domain),
        lesson: lessonLink(q.lesson),
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------
// "My learning": every track of the release with where the person stands

export type TrackSummaryStatus =
  | { kind: "exam-in-progress"; attemptId: string }
  | { kind: "certified"; validUntil: string; recertifyFrom: string }
  | { kind: "recertification-open"; validUntil: string }
  | { kind: "exam-ready" }
  | { kind: "retake-wait"; opensAt: string }
  | { kind: "no-attempts-left" }
  | { kind: "courses-in-progress"; done: number; total: number }
  | { kind: "not-started"; total: number };

/**
 * A light list for "My learning": one status per track, no rules, no attempt history. Read-only (an
 * overdue attempt shows as in progress here; opening it finalises it).
 */
export async function myTracksView(userId: string, lang: Language, now = new Date()) {
  const release = await requireRelease();
  const progress = progressOfCourses(release, await getLearnerProgress(userId));
  const byCourse = new Map(progress.map((p) => [p.courseId, p]));
  return Promise.all(
    release.bundle.tracks.map(async (track) => {
      const { eligibility, certificate } = await eligibilityOf(getDb(), release, userId, track, now);
      const courses = track.courses.filter((id) => release.courses.has(id));
      const done = courses.filter((id) => byCourse.get(id)?.status === "complete").length;
      const started = courses.some((id) => byCourse.get(id)?.status !== "not-started");
      let status: TrackSummaryStatus;
      switch (eligibility.kind) {
        case "resume":
        case "finalize-overdue":
          status = { kind: "exam-in-progress", attemptId: eligibility.attemptId };
          break;
        case "certified":
          status = { kind: "certified", validUntil: eligibility.validUntil.toISOString(), recertifyFrom: eligibility.recertifyFrom.toISOString() };
          break;
        case "ready":
          status =
            eligibility.recertification && certificate
              ? { kind: "recertification-open", validUntil: certificate.validUntil.toISOString() }
              : { kind: "exam-ready" };
          break;
        case "retake-wait":
          status = { kind: "retake-wait", opensAt: eligibility.opensAt.toISOString() };
          break;
        case "no-attempts-left":
          status = { kind: "no-attempts-left" };
          break;
        case "courses-incomplete":
          status = started ? { kind: "courses-in-progress", done, total: courses.length } : { kind: "not-started", total: courses.length };
          break;
      }
      return { id: track.id, title: track.title[lang], summary: track.summary[lang], status };
    }),
  );
}

/**
 * Where the person stands on each of these tracks of the release, for "My AI tools" (what to do next
 * about a track they do not hold). Read-only like myTracksView: an overdue attempt shows as in
 * progress; opening it finalises it. Course progress is read once for all tracks; ids that are not
 * tracks of the release are left out.
 */
export async function eligibilityByTrack(
  release: LoadedRelease,
  userId: string,
  trackIds: readonly string[],
  now = new Date(),
): Promise<Map<string, Eligibility>> {
  const tracks = [...new Set(trackIds)].map((id) => release.tracks.get(id)).filter((t): t is Track => Boolean(t));
  if (tracks.length === 0) return new Map();
  const progress = progressOfCourses(release, await getLearnerProgress(userId));
  const done = new Set(progress.filter((p) => p.status === "complete").map((p) => p.courseId));
  const entries = await Promise.all(
    tracks.map(async (track) => {
      const missing = track.courses.filter((id) => release.courses.has(id) && !done.has(id));
      const { eligibility } = await eligibilityOf(getDb(), release, userId, track, now, missing);
      return [track.id, eligibility] as const;
    }),
  );
  return new Map(entries);
}

/** The tracks a course counts towards, for a link from the course page. */
export async function tracksOfCourse(courseId: string, lang: Language) {
  const release = await requireRelease();
  return release.bundle.tracks.filter((t) => t.courses.includes(courseId)).map((t) => ({ id: t.id, title: t.title[lang] }));
}
