import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isRequestIdErrorData } from "~/http/unexpected-errors";
import { useRootData } from "./use-viewer";

const KNOWN = new Set([400, 403, 404, 405, 409, 413, 415, 429, 503]);

/**
 * The id of the request that failed, as written to the server log: carried by the error itself
 * (loaders and actions, see withRequestId), else the page's own request when the server hid a
 * rendering error. A browser-only error has no server log line, so it shows no id.
 */
function failedRequestId(error: unknown, pageRequestId: string | null | undefined): string | null {
  if (isRouteErrorResponse(error)) return isRequestIdErrorData(error.data) ? error.data.requestId : null;
  if (error instanceof Error && error.message === "Unexpected Server Error") return pageRequestId ?? null;
  return null;
}

/** The one error view: a message per status in the reader's language, never a stack trace. */
export function ErrorPage({ status: forcedStatus }: { status?: number }) {
  const { t } = useTranslation();
  const error = useRouteError();
  const root = useRootData();
  let status = forcedStatus ?? 500;
  let key = "500";
  if (!forcedStatus && isRouteErrorResponse(error)) status = error.status;
  if (status === 403 && isRouteErrorResponse(error) && error.statusText === "csrf") key = "csrf";
  else if (KNOWN.has(status)) key = String(status);
  const signedIn = Boolean(root?.viewer);
  const requestId = key === "500" ? failedRequestId(error, root?.requestId) : null;
  return (
    <section className="mx-auto max-w-xl rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm" data-testid="error-page" data-status={status}>
      <p className="text-sm font-semibold text-indigo-600">{status}</p>
      <h1 className="mt-2 text-2xl font-bold tracking-tight text-slate-900">{t(`errors.${key}.title`)}</h1>
      <p className="mt-3 text-slate-700">{t(`errors.${key}.body`)}</p>
      {requestId ? (
        <p className="mt-3 font-mono text-xs text-slate-600" data-testid="request-id">
          {t("errors.reference", { id: requestId })}
        </p>
      ) : null}
      <div className="mt-6">
        {signedIn || status !== 403 ? (
          <Link to="/" className="inline-block rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">
            {t("errors.backHome")}
          </Link>
        ) : (
          <Link to="/login" className="inline-block rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">
            {t("errors.signIn")}
          </Link>
        )}
      </div>
    </section>
  );
}
