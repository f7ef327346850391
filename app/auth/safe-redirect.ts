/** Longer targets are not ours (our own paths with their queries stay far below this). */
export const MAX_REDIRECT_LENGTH = 2000;

/**
 * Only same-site paths are followed after sign-in or a language switch; anything else goes home.
 * The target is returned percent-encoded, so it is always a valid `Location` header value: a path
 * such as `/日本語` (which a header cannot carry as it is) becomes `/%E6%97%A5%E6%9C%AC%E8%AA%9E`.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (!to || typeof to !== "string") return fallback;
  if (to.length > MAX_REDIRECT_LENGTH) return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\u007f]/.test(to)) return fallback;
  let url: URL;
  try {
    // Resolve against a placeholder origin: what stays on that origin is a same-site path.
    url = new URL(to, "http://manabi.invalid");
  } catch {
    return fallback;
  }
  if (url.origin !== "http://manabi.invalid") return fallback;
  // The URL parser percent-encodes the path, query and fragment and resolves dot segments
  // (so "/..//evil.example" is caught below as "//evil.example").
  const target = url.pathname + url.search + url.hash;
  if (!target.startsWith("/") || target.startsWith("//") || target.length > MAX_REDIRECT_LENGTH) return fallback;
  return target;
}
