import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiJson, apiProblem, requireApiToken, toolsFor } from "~/access/api.server";
import { personKey } from "~/access/api-input";

/** GET /api/v1/people/<email or employee number>/tools — every tool of the catalog with the person's decision. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireApiToken(request, "access:read");
  const parsed = personKey.safeParse(params.person);
  if (!parsed.success) return apiProblem(400, "invalid-parameters", parsed.error.issues[0]!.message);
  const result = await toolsFor(parsed.data);
  switch (result.kind) {
    case "decided":
      return apiJson({ user: result.user, release: result.release, tools: result.tools });
    case "unknown-person":
      return apiProblem(404, "unknown-person", "No person has this email address or employee number.");
    case "no-release":
      return apiProblem(503, "no-release", "No content release is published yet: no tool can be decided.");
  }
}
