import { z } from "zod";

/**
 * The API's input rules (pure): a person is named by email or employee number, a tool by its id.
 * No control characters (a NUL cannot even be stored), bounded lengths.
 */

export const MAX_BATCH_PAIRS = 1000;

const NO_CONTROL = /^[^\u0000-\u001f\u007f]+$/;

export const personKey = z
  .string({ required_error: "user is required (an email address or an employee number)" })
  .trim()
  .min(1, "user is required (an email address or an employee number)")
  .max(254, "user is longer than 254 characters")
  .regex(NO_CONTROL, "user holds control characters");

export const toolId = z
  .string({ required_error: "tool is required (a tool id)" })
  .trim()
  .min(1, "tool is required (a tool id)")
  .max(100, "tool is longer than 100 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "tool is not a tool id (letters, digits, '.', '_' and '-')");

/** `?user=…&tool=…`, each given once. */
export const apiQuerySchema = z.instanceof(URLSearchParams).transform((params, ctx) => {
  for (const name of ["user", "tool"]) {
    if (params.getAll(name).length > 1) ctx.addIssue({ code: "custom", message: `${name} is given more than once` });
  }
  const parsed = z.object({ user: personKey, tool: toolId }).safeParse({ user: params.get("user") ?? undefined, tool: params.get("tool") ?? undefined });
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
  return parsed.success ? parsed.data : z.NEVER;
});

export const batchSchema = z.object(
  {
    pairs: z.array(z.object({ user: personKey, tool: toolId }, { invalid_type_error: "each pair is an object { user, tool }" }), {
      required_error: "pairs is required",
      invalid_type_error: "pairs must be an array",
    }),
  },
  { invalid_type_error: 'the body must be a JSON object { "pairs": [...] }' },
);

/** The number of pairs a body asks for, before the pairs themselves are checked (to answer 413 first). */
export function pairCount(body: unknown): number | null {
  if (typeof body !== "object" || body === null || !("pairs" in body)) return null;
  const pairs = (body as { pairs: unknown }).pairs;
  return Array.isArray(pairs) ? pairs.length : null;
}

/** One line naming the first problem (with its place, e.g. `pairs.3.tool`). */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}

export const MAX_EVENTS_LIMIT = 1000;
export const DEFAULT_EVENTS_LIMIT = 100;

/**
 * `?after=<cursor>&limit=<n>` of the event feed. The cursor is the opaque string a previous answer
 * gave as `nextCursor` (today a decimal sequence number); none starts at the beginning.
 */
export const eventsQuerySchema = z.instanceof(URLSearchParams).transform((params, ctx) => {
  for (const name of ["after", "limit"]) {
    if (params.getAll(name).length > 1) ctx.addIssue({ code: "custom", message: `${name} is given more than once` });
  }
  const after = params.get("after");
  const limit = params.get("limit");
  let afterSeq = 0;
  if (after !== null && after !== "") {
    if (!/^\d{1,15}$/.test(after)) ctx.addIssue({ code: "custom", message: "after is not a cursor from this feed (use the nextCursor of an earlier answer)" });
    else afterSeq = Number(after);
  }
  let n = DEFAULT_EVENTS_LIMIT;
  if (limit !== null) {
    if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_EVENTS_LIMIT) {
      ctx.addIssue({ code: "custom", message: `limit must be a whole number from 1 to ${MAX_EVENTS_LIMIT}` });
    } else n = Number(limit);
  }
  return { after: afterSeq, limit: n };
});
