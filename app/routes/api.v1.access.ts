import type { LoaderFunctionArgs } from "@remix-run/node";
import { accessAnswer } from "~/access/api-answers.server";
import { toResponse } from "~/access/api.server";

/**
 * GET /api/v1/access?user=<email or employee number>&tool=<tool id> — may this person use this tool now.
 * In production server.mjs answers this path before Remix (app/access/api-fast-path.server.ts) with the
 * same function; this route serves it in development and wherever Remix sees the request.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return toResponse(await accessAnswer(request.headers.get("Authorization"), new URL(request.url).searchParams));
}
