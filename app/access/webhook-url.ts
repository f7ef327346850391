/**
 * Webhook addresses (pure, no Node imports, so the admin form checks them in the browser too).
 */

/** A webhook address: http(s) without credentials, fragments or control characters. */
export function checkWebhookUrl(raw: string): { ok: true; url: string } | { ok: false; reason: "invalid" | "scheme" | "credentials" } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "scheme" };
  if (url.username || url.password) return { ok: false, reason: "credentials" };
  if (raw.length > 2000 || /[\u0000-\u001f\u007f]/.test(raw)) return { ok: false, reason: "invalid" };
  url.hash = "";
  return { ok: true, url: url.toString() };
}
