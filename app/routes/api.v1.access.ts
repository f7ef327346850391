import type { LoaderFunctionArgs } from "@remix-run/node";
import { accessFor, apiJson, apiProblem, requireApiToken } from "~/access/api.server";
import { apiQuerySchema, firstIssue } from "~/access/api-input";

/** GET /api/v1/access?user=<email or employee number>&tool=<tool id> — may this person use this tool now. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireApiToken(request, "access:read");
  const parsed = apiQuerySchema.safeParse(new URL(request.url).searchParams);
  if (!parsed.success) return apiProblem(400, "invalid-parameters", firstIssue(parsed.error));
  const result = await accessFor(parsed.data.user, parsed.data.tool);
  switch (result.kind) {
    case "decided":
      return apiJson(result.access);
    case "unknown-person":
      return apiProblem(404, "unknown-person", "No person has this email address or employee number.");
    case "unknown-tool":
      return apiProblem(404, "unknown-tool", "The current content release has no tool with this id.");
    case "no-release":
      return apiProblem(503, "no-release", "No content release is published yet: no tool can be decided.");
  }
}
