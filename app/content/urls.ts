/**
 * The URL rules for lessons: links are `https://…` or site-relative (`/…`), a Figure's src is
 * site-relative. Pure. Decisions are made on the string the browser would see: the MDX parser has
 * already decoded character references (`&#106;avascript:` arrives here as `javascript:`), and the
 * check is an allowlist, so any leftover encoding fails it rather than slipping through.
 */
export type UrlVerdict = { ok: true } | { ok: false; message: string; hint: string };

const CODE_SCHEMES = ["javascript", "data", "vbscript"];
// C0/C1 controls, spaces and the invisible characters browsers strip or that hide a scheme.
const INVISIBLE = /[\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/g;
const SITE = "https://site.invalid";

/** A link target (`[text](url)`, an autolink). */
export function checkLinkUrl(url: string): UrlVerdict {
  const shape = checkShape(url);
  if (shape) return shape;
  if (/^https:\/\//i.test(url)) {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === "https:" && parsed.hostname) return { ok: true };
    } catch {
      // fall through
    }
    return { ok: false, message: `"${url}" is not a valid https:// address`, hint: "Check the address for typos." };
  }
  if (url.startsWith("/")) return sameSite(url);
  return rejectScheme(url, "Links must start with https:// or, for pages of this site, with /.");
}

/** A `<Figure src>`: a file under public/, so a site-relative path. */
export function checkFigureSrc(src: string): UrlVerdict {
  const shape = checkShape(src);
  if (shape) return shape;
  if (src.startsWith("/")) return sameSite(src);
  return rejectScheme(src, 'Put the image under public/ and give its site path, e.g. src="/content/genai/diagram.svg".');
}

function checkShape(url: string): UrlVerdict | null {
  if (url.trim() === "")
    return { ok: false, message: "the address is empty", hint: "Give an https:// address or a site path starting with /." };
  const squashed = url.replace(INVISIBLE, "").toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(squashed)?.[1];
  if (scheme && CODE_SCHEMES.includes(scheme)) {
    return {
      ok: false,
      message: `"${scheme}:" addresses can run code or smuggle content and are not allowed`,
      hint: "Link to an https:// page instead.",
    };
  }
  if (url !== url.replace(INVISIBLE, "")) {
    return {
      ok: false,
      message: `"${printable(url)}" contains spaces or invisible characters`,
      hint: "Remove them (encode a space in a path as %20).",
    };
  }
  if (url.includes("\\")) return { ok: false, message: `"${url}" contains a backslash`, hint: "Use forward slashes (/) in addresses." };
  if (url.startsWith("//")) {
    return {
      ok: false,
      message: `"${url}" is protocol-relative (starts with //)`,
      hint: "Write the full https:// address, or a site path starting with a single /.",
    };
  }
  return null;
}

function sameSite(path: string): UrlVerdict {
  try {
    if (new URL(path, SITE).origin === SITE) return { ok: true };
  } catch {
    // fall through
  }
  return { ok: false, message: `"${path}" does not stay on this site`, hint: "Site paths start with a single / followed by a path." };
}

function rejectScheme(url: string, hint: string): UrlVerdict {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  if (scheme) return { ok: false, message: `"${scheme.toLowerCase()}:" addresses are not allowed ("${url}")`, hint };
  return { ok: false, message: `"${url}" is a relative address`, hint };
}

function printable(url: string): string {
  return url.replace(INVISIBLE, (c) => (c === " " ? " " : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}
