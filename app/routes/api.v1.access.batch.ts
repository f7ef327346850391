import type { ActionFunctionArgs } from "@remix-run/node";
import { accessForPairs, apiJson, apiProblem, requireApiToken } from "~/access/api.server";
import { MAX_BATCH_PAIRS, batchSchema, firstIssue, pairCount } from "~/access/api-input";

/** GET is not served: the batch is a POST with a JSON body. */
export function loader() {
  return apiProblem(405, "method-not-allowed", "Send the pairs with POST.", { Allow: "POST" });
}

/** POST /api/v1/access/batch { "pairs": [{ "user", "tool" }] } — up to 1,000 decisions, in the order asked. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiProblem(405, "method-not-allowed", "Send the pairs with POST.", { Allow: "POST" });
  await requireApiToken(request, "access:read");
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") return apiProblem(415, "unsupported-media-type", "Send the body as application/json.");
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return apiProblem(400, "invalid-body", "The body is not valid JSON.");
  }
  const count = pairCount(body);
  if (count !== null && count > MAX_BATCH_PAIRS) {
    return apiProblem(413, "too-many-pairs", `At most ${MAX_BATCH_PAIRS} pairs per request (got ${count}); split the batch.`, {}, { maxPairs: MAX_BATCH_PAIRS });
  }
  const parsed = batchSchema.safeParse(body);
  if (!parsed.success) return apiProblem(400, "invalid-body", firstIssue(parsed.error));
  const decisions = await accessForPairs(parsed.data.pairs);
  if (!Array.isArray(decisions)) return apiProblem(503, "no-release", "No content release is published yet: no tool can be decided.");
  return apiJson({ decisions });
}
