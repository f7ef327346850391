import { z } from "zod";
import { CSRF_FIELD, sessionCsrfTokenMatches } from "~/auth/csrf.server";
import { can, PERMISSIONS_BY_ROLE, rolesOf, type Permission } from "~/auth/permissions";
import { userOfSession } from "~/auth/session.server";
import { saveExamAnswer, saveWithSession } from "./exams.server";

/**
 * The exam's autosave (`POST /exams/<attempt id>/answer`), from plain inputs: the session id of the
 * request's cookie and its form. The Remix resource route (`exams.$attemptId_.answer.ts`) and the fast
 * path that server.mjs mounts before Express (`autosave-fast-path.server.ts`) both answer through it, so
 * both give the same statuses and bodies. A refusal has a status the page can act on: 401 when the
 * session ended (no redirect: the page keeps the answers and asks the person to sign in again), 403
 * forbidden or csrf, 400 invalid, 404 not-found, 409 once the attempt is closed.
 */

/**
 * One question's change: its answer (`setAnswer=1`, then the `answer` values — none clears it), its
 * flag, or both; `at` is the question the learner is on now, to resume there.
 */
const schema = z
  .object({
    position: z.coerce.number().int().min(0).max(1000),
    setAnswer: z.literal("1").optional(),
    answer: z.array(z.string().min(1).max(20)).max(10),
    flagged: z.enum(["true", "false"]).optional(),
    at: z.coerce.number().int().min(0).max(1000).optional(),
  })
  .refine((v) => v.setAnswer !== undefined || v.flagged !== undefined);

/** What the handler reads of a form: FormData (Remix) and URLSearchParams (the fast path) both fit. */
export type FormFields = {
  get(name: string): FormDataEntryValue | null;
  getAll(name: string): FormDataEntryValue[];
};

/** What a save changes, from a form that passes the schema; null when it does not. */
function saveFields(form: FormFields) {
  const parsed = schema.safeParse({
    position: form.get("position"),
    setAnswer: form.get("setAnswer") ?? undefined,
    answer: form.getAll("answer"),
    flagged: form.get("flagged") ?? undefined,
    at: form.get("at") ?? undefined,
  });
  if (!parsed.success) return null;
  const fields = parsed.data;
  return {
    position: fields.position,
    at: fields.at,
    ...(fields.setAnswer ? { answer: fields.answer } : {}),
    ...(fields.flagged ? { flagged: fields.flagged === "true" } : {}),
  };
}

/**
 * Saving one's own answers is a learner's permission and everyone is a learner (permissions.ts), so a
 * live session is all the one-statement save has to check. Should that ever change, every save takes the
 * path that asks `can()`.
 */
const EVERYONE_MAY_SAVE = rolesOf({ roles: [], isManager: false }).some((role) =>
  (PERMISSIONS_BY_ROLE[role] as readonly Permission[]).includes("update:learning:own"),
);

export type AutosaveReply = { status: number; body: string };

/** The answer's headers besides the security headers: small JSON, never stored. */
export const AUTOSAVE_HEADERS: Readonly<Record<string, string>> = { "Content-Type": "application/json", "Cache-Control": "no-store" };

const reply = (body: Record<string, unknown>, status = 200): AutosaveReply => ({ status, body: JSON.stringify(body) });

export const methodNotAllowed = (): AutosaveReply => reply({ kind: "method-not-allowed" }, 405);

/**
 * Answers one autosave. `readForm` is called only once the session is known to be live (a signed-out
 * request is answered 401 without reading its body), and may throw (then so does this).
 */
export async function autosaveAnswer(input: { sessionId: string | null; attemptId: string; readForm: () => Promise<FormFields> }): Promise<AutosaveReply> {
  // The body is read once, whichever path asks first (a form that fails to parse fails where it did).
  let form: Promise<FormFields> | null = null;
  const readForm = () => (form ??= input.readForm());
  const sessionId = input.sessionId;

  // The common case — a live session, its token, valid input, an open attempt of the person's — is one
  // statement; when it saves nothing (or the form is unusual), the checks below run one by one and say why.
  if (sessionId && EVERYONE_MAY_SAVE) {
    const fields = await readForm().then(
      (f) => (sessionCsrfTokenMatches(sessionId, f.get(CSRF_FIELD)) ? saveFields(f) : null),
      () => null,
    );
    if (fields) {
      const saved = await saveWithSession({ sessionId, attemptId: input.attemptId, ...fields });
      if (saved) return reply({ kind: "saved", savedAt: saved.savedAt });
    }
  }

  const user = await userOfSession(sessionId);
  if (!user || !sessionId) return reply({ kind: "signed-out" }, 401);
  if (!can(user, "update:learning:own")) return reply({ kind: "forbidden" }, 403);
  const f = await readForm();
  if (!sessionCsrfTokenMatches(sessionId, f.get(CSRF_FIELD))) return reply({ kind: "csrf" }, 403);
  const fields = saveFields(f);
  if (!fields) return reply({ kind: "invalid" }, 400);
  const result = await saveExamAnswer({ userId: user.id, attemptId: input.attemptId, ...fields });
  switch (result.kind) {
    case "saved":
      return reply({ kind: "saved", savedAt: result.savedAt });
    case "not-found":
      return reply({ kind: "not-found" }, 404);
    case "invalid":
      return reply({ kind: "invalid" }, 400);
    case "finished":
    case "deadline-passed":
      return reply({ kind: result.kind }, 409);
  }
}
