import type { i18n as I18n } from "i18next";

/** The options a plain lookup carries (what react-i18next's fixed `t` adds): nothing that changes the text. */
const PLAIN_OPTIONS = new Set(["lng", "lngs", "ns", "keyPrefix"]);
const MAX_ENTRIES = 5_000;

/**
 * Makes `instance.t` remember the text of each plain lookup — a string key and no options but the
 * language, namespace and key prefix react-i18next's `t` adds — per language, namespace, prefix and
 * key. A page's render asks i18next for about a hundred texts, each through its resolver, formatter
 * and post-processors (about 5% of a lesson view's CPU time); the answer for the same plain key never
 * changes while the resources do not. Anything else (interpolation values, `count`, `defaultValue`,
 * `returnObjects`, several keys) goes to i18next every time. For the server's per-language instances,
 * whose resources are fixed at start; not for an instance whose resources or language change later.
 */
export function rememberPlainLookups(instance: I18n): void {
  const translate = instance.t.bind(instance) as unknown as (...args: unknown[]) => unknown;
  const remembered = new Map<string, unknown>();
  const t = (...args: unknown[]) => {
    const [key, options] = args;
    if (args.length > 2 || typeof key !== "string") return translate(...args);
    if (options !== undefined) {
      if (options === null || typeof options !== "object") return translate(...args);
      for (const name of Object.keys(options)) if (!PLAIN_OPTIONS.has(name)) return translate(...args);
    }
    const o = (options ?? {}) as { lng?: unknown; lngs?: unknown; ns?: unknown; keyPrefix?: unknown };
    const id = `${String(o.lng ?? "")}\u0000${String(o.lngs ?? "")}\u0000${String(o.ns ?? "")}\u0000${String(o.keyPrefix ?? "")}\u0000${key}`;
    if (remembered.has(id)) return remembered.get(id);
    const text = translate(...args);
    if (remembered.size >= MAX_ENTRIES) remembered.clear();
    remembered.set(id, text);
    return text;
  };
  instance.t = t as unknown as I18n["t"];
}
