import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures (pure): `Manabi-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
 * `<t>.<raw body>` with the webhook's secret — the scheme Stripe and others use, so receivers can
 * reuse their verifiers. The timestamp lets a receiver refuse replays older than a few minutes.
 */

export const SIGNATURE_HEADER = "Manabi-Signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}

/** What a receiver does: true when the header signs this body with this secret within the tolerance. */
export function verifyWebhook(secret: string, body: string, header: string | null, now: Date, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): boolean {
  if (!header) return false;
  const parts = new Map(header.split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, "hex"));
}

/** Seconds to wait before the next try after `attempts` failed ones: 10 s doubling, at most an hour. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));
}

/** Kept here for existing imports; the check itself is pure and browser-safe in ./webhook-url. */
export { checkWebhookUrl } from "./webhook-url";
