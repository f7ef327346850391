import type { ServerBuild } from "@remix-run/node";

/**
 * Unexpected errors carry the request id from the server log to the error page.
 *
 * Remix hides an unexpected error from the browser ("Unexpected Server Error"), and when it happens in
 * a client-side navigation the page cannot know which request failed. So every loader and action is
 * wrapped: an error that is not an intended Response is logged with the request id and replaced by a
 * 500 response whose data is `{ requestId }`, which the error page shows (and the browser receives it
 * in full-page loads and `.data` navigations alike). Thrown Responses, redirects and aborted requests
 * pass through untouched.
 */

export type RequestIdErrorData = { requestId: string };

export function isRequestIdErrorData(value: unknown): value is RequestIdErrorData {
  return typeof value === "object" && value !== null && typeof (value as { requestId?: unknown }).requestId === "string";
}

/** One log line format for every unexpected error: `[id] METHOD /path` and the error. */
export function logUnexpectedError(
  requestId: string,
  request: { method: string; url: string },
  error: unknown,
  log: (...values: unknown[]) => void = console.error,
): void {
  let path = request.url;
  try {
    path = new URL(request.url, "http://manabi.invalid").pathname;
  } catch {
    // keep the raw target
  }
  log(`[${requestId}] ${request.method} ${path}`, error);
}

function isIntended(error: unknown): boolean {
  if (error instanceof Response) return true;
  // `data(value, { status })` thrown by a loader (single fetch).
  return typeof error === "object" && error !== null && (error as { type?: unknown }).type === "DataWithResponseInit";
}

type DataFunctionArgs = { request: Request; context?: { requestId?: string } };
type DataFunction = (args: DataFunctionArgs) => unknown;

export function withRequestId(
  fn: DataFunction,
  log: (...values: unknown[]) => void = console.error,
): (args: DataFunctionArgs) => Promise<unknown> {
  return async (args: DataFunctionArgs) => {
    try {
      return await fn(args);
    } catch (error) {
      if (isIntended(error) || args.request.signal.aborted) throw error;
      const requestId = args.context?.requestId ?? "-";
      logUnexpectedError(requestId, args.request, error, log);
      const body: RequestIdErrorData = { requestId };
      throw Response.json(body, { status: 500, statusText: "Internal Server Error" });
    }
  };
}

/** The build with every route's loader and action wrapped by `withRequestId`. */
export function withRequestIds(build: ServerBuild, log: (...values: unknown[]) => void = console.error): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const module = { ...route.module };
    if (module.loader) module.loader = withRequestId(module.loader as DataFunction, log) as typeof module.loader;
    if (module.action) module.action = withRequestId(module.action as DataFunction, log) as typeof module.action;
    routes[id] = { ...route, module };
  }
  return { ...build, routes };
}
