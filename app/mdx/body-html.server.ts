import type { ReactElement } from "react";
import { renderToString } from "react-dom/server";
import type { BodyHtmlCache } from "./prerendered";

/** Bodies kept: every lesson in both languages of a few releases (a body's HTML is tens of KB). */
const MAX_ENTRIES = 400;

/**
 * A least-recently-used map of rendered lesson bodies, by key (the release number, lesson, language,
 * anchors and answer action: see LessonBody). The element is rendered only on a miss.
 */
export function createBodyHtmlCache(max = MAX_ENTRIES): BodyHtmlCache & { size: () => number } {
  const entries = new Map<string, string>();
  return {
    html(key: string, element: () => ReactElement): string {
      const hit = entries.get(key);
      if (hit !== undefined) {
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const html = renderToString(element());
      entries.set(key, html);
      if (entries.size > max) entries.delete(entries.keys().next().value!);
      return html;
    },
    size: () => entries.size,
  };
}

/** The server's one cache (entry.server.tsx provides it to every page render). */
export const bodyHtmlCache = createBodyHtmlCache();
