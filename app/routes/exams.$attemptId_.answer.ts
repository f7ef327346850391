import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { saveExamAnswer } from "~/assessment/exams.server";
import { readForm } from "~/auth/csrf.server";
import { can } from "~/auth/permissions";
import { getOptionalUser } from "~/auth/session.server";

/**
 * The exam's autosave: a resource route, so a save never re-runs the page's loaders. It answers small
 * JSON, and a refusal with a status the page can act on: 401 when the session ended (no redirect: the
 * page keeps the answers and asks the person to sign in again), 409 once the attempt is closed.
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

const reply = (body: Record<string, unknown>, status = 200) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

export async function loader() {
  return reply({ kind: "method-not-allowed" }, 405);
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return reply({ kind: "method-not-allowed" }, 405);
  const user = await getOptionalUser(request);
  if (!user) return reply({ kind: "signed-out" }, 401);
  if (!can(user, "update:learning:own")) return reply({ kind: "forbidden" }, 403);
  let formData: FormData;
  try {
    formData = await readForm(request);
  } catch (error) {
    if (error instanceof Response && error.status === 403) return reply({ kind: "csrf" }, 403);
    throw error;
  }
  const parsed = schema.safeParse({
    position: formData.get("position"),
    setAnswer: formData.get("setAnswer") ?? undefined,
    answer: formData.getAll("answer"),
    flagged: formData.get("flagged") ?? undefined,
    at: formData.get("at") ?? undefined,
  });
  if (!parsed.success) return reply({ kind: "invalid" }, 400);
  const input = parsed.data;
  const result = await saveExamAnswer({
    userId: user.id,
    attemptId: params.attemptId ?? "",
    position: input.position,
    at: input.at,
    ...(input.setAnswer ? { answer: input.answer } : {}),
    ...(input.flagged ? { flagged: input.flagged === "true" } : {}),
  });
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
