import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiJson, apiProblem, requireApiToken } from "~/access/api.server";
import { eventsQuerySchema, firstIssue } from "~/access/api-input";
import { readEvents } from "~/access/events.server";

/** GET /api/v1/events?after=<cursor>&limit=<n> — the entitlement changes after a cursor, oldest first. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireApiToken(request, "events:read");
  const parsed = eventsQuerySchema.safeParse(new URL(request.url).searchParams);
  if (!parsed.success) return apiProblem(400, "invalid-parameters", firstIssue(parsed.error));
  return apiJson(await readEvents(parsed.data));
}
