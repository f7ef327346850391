import { readdirSync } from "node:fs";
import path from "node:path";

/**
 * The route files of app/routes (Remix flat routes), for the sweeps that must cover every route: the
 * security headers, the role × route matrix and the accessibility sweep. A new route file shows up here
 * without an edit, so a sweep that has no entry for it fails.
 */
export const ROUTES_DIR = path.resolve("app/routes");

/** Every route file's name without its extension ("tools_.$toolId.people[.csv]"), sorted. */
export function routeFiles(): string[] {
  return readdirSync(ROUTES_DIR)
    .filter((f) => /\.(tsx?|jsx?)$/.test(f))
    .map((f) => f.replace(/\.(tsx?|jsx?)$/, ""))
    .sort();
}

/** "tools_.$toolId.people[.csv]" → "/tools/x/people.csv" (Remix flat-route file names). */
export function urlOfRouteFile(file: string): string {
  const segments: string[] = [];
  let current = "";
  let literal = false;
  for (const ch of file) {
    if (literal) {
      if (ch === "]") literal = false;
      else current += ch;
    } else if (ch === "[") literal = true;
    else if (ch === ".") {
      segments.push(current);
      current = "";
    } else current += ch;
  }
  segments.push(current);
  const parts = segments
    .filter((s) => s !== "_index" && !s.startsWith("_"))
    .map((s) => s.replace(/_$/, ""))
    .map((s) => (s === "$" ? "no-such-page" : s.startsWith("$") ? "x" : s));
  // "[.csv]" after a dot-less segment stays attached ("people.csv"); "openapi[.]json" → "openapi.json".
  return `/${parts.join("/")}`.replace(/\/\.(csv|json)$/, ".$1");
}
