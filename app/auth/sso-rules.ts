import { AuthorizationResponseError, ClientError, ResponseBodyError } from "openid-client";

/**
 * The rules of single sign-on that need neither the database nor the framework: what went wrong in a
 * sign-in (each reason is a page with its own message and a retry link), which claim names a person,
 * who may still use a password. Tested directly in tests/unit/auth/sso-rules.test.ts.
 */

/**
 * Why a single sign-on did not sign the person in.
 * - unreachable: the provider did not answer (down, network, timeout, a 5xx);
 * - denied: the person (or the provider's policy) declined to share their identity with Manabi;
 * - expired: the callback's sign-in is unknown: already used (a replayed callback), or too old;
 * - stateMismatch: the callback belongs to a sign-in started elsewhere (another browser, or its state
 *   was altered);
 * - rejected: the provider's answer failed a check: a clock-skewed or expired ID token, a wrong nonce,
 *   a code the provider no longer accepts (used twice);
 * - providerError: the provider reported another error;
 * - unknownPerson: the identity matches nobody in Manabi;
 * - inactive: it matches a person who has left or been deactivated;
 * - conflict: the person is already linked to another identity at this provider.
 */
export const SSO_FAILURES = [
  "unreachable",
  "denied",
  "expired",
  "stateMismatch",
  "rejected",
  "clockSkew",
  "providerError",
  "unknownPerson",
  "inactive",
  "conflict",
] as const;
export type SsoFailure = (typeof SSO_FAILURES)[number];

/** The HTTP status of each failure's page. */
export function failureStatus(reason: SsoFailure): number {
  switch (reason) {
    case "unreachable":
      return 502;
    case "unknownPerson":
    case "inactive":
    case "denied":
      return 403;
    case "conflict":
      return 409;
    default:
      return 400;
  }
}

/** Classifies an error thrown by openid-client (or by fetch underneath it). */
export function classifySsoError(error: unknown): SsoFailure {
  if (error instanceof AuthorizationResponseError) {
    return error.error === "access_denied" || error.error === "consent_required" || error.error === "interaction_required"
      ? "denied"
      : "providerError";
  }
  if (error instanceof ResponseBodyError) {
    // The code was already exchanged, has expired, or belongs to another client or verifier.
    if (error.error === "invalid_grant") return "rejected";
    if (error.status >= 500) return "unreachable";
    return "providerError";
  }
  if (error instanceof ClientError) {
    if (error.code === "OAUTH_JWT_TIMESTAMP_CHECK_FAILED") return "clockSkew";
    if (error.code === "OAUTH_RESPONSE_IS_NOT_CONFORM" || error.code === "OAUTH_RESPONSE_IS_NOT_JSON") return "unreachable";
    if (error.code?.startsWith("OAUTH_")) return "rejected";
    return causeIsNetwork(error) ? "unreachable" : "rejected";
  }
  return causeIsNetwork(error) ? "unreachable" : "rejected";
}

function causeIsNetwork(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof TypeError) return true; // fetch failed
    const name = (e as { name?: string }).name;
    if (name === "TimeoutError" || name === "AbortError") return true;
    const code = (e as { code?: string }).code;
    if (code && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|UND_ERR_)/.test(code)) return true;
  }
  return false;
}

/** How a person is looked up from their ID token: by email (case-insensitive) or by employee number. */
export type PersonKey = { kind: "email"; value: string } | { kind: "employeeNumber"; value: string };

/**
 * The value of the configured claim, as Manabi compares it: `email` lower-cased (refused when the
 * provider says it is not verified), any other claim an employee number as text. Null when the token
 * does not carry it.
 */
export function personKeyOf(claims: Record<string, unknown>, claimName: string): PersonKey | null {
  const raw = claims[claimName];
  const value = typeof raw === "string" ? raw.trim() : typeof raw === "number" && Number.isFinite(raw) ? String(raw) : "";
  if (!value || value.length > 254) return null;
  if (claimName === "email") {
    if (claims.email_verified === false) return null;
    return { kind: "email", value: value.toLowerCase() };
  }
  return { kind: "employeeNumber", value };
}

/** Whether this email may sign in with a password: always when passwords are on, else only the break-glass admins. */
export function passwordAllowedFor(email: string, passwords: "on" | "off", breakGlass: readonly string[]): boolean {
  if (passwords === "on") return true;
  return breakGlass.includes(email.trim().toLowerCase());
}
