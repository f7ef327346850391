import { env } from "~/env.server";

/**
 * The site's address for links in mails. PUBLIC_URL when set (recommended in production: a link
 * must never be built from a request's Host header, which a client chooses); otherwise the origin of
 * the HR request that sent an invitation, or for the worker's reminders http://localhost:PORT.
 */
export function mailBaseUrl(requestOrigin?: string): string {
  const config = env();
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, "");
  return requestOrigin ?? `http://localhost:${config.PORT}`;
}
