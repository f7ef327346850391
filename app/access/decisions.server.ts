import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Database } from "#db/client.server";
import { certificates, users } from "#db/schema";
import { getCurrentRelease, type LoadedRelease } from "~/content/release.server";
import type { Tool } from "~/content/types";
import type { ApiPerson } from "./api-views";
import { decideAccess, type AccessDecision, type CertificateInput, type NextStep } from "./decision";
import { nextStepsFor } from "./next-steps.server";
import { replicaPerson } from "./people-replica.server";

/**
 * Feeds the access rule (`decision.ts`) from the database.
 *
 * Freshness across app processes: no decision is cached. A check by email or employee number (the API
 * and forward-auth) reads the person and their certificates from the process's copy
 * (people-replica.server.ts), which follows the database's changes within 1.5 s in every process and at
 * once in the process that made them; when the copy cannot answer, and for pages (by id), they are read
 * on every decision (one indexed query: `certificates_user_track_idx` starts with user_id). An expiry
 * counts at the moment asked. The release
 * comes from the release cache, which asks the database for a newer number at least every 2 s, so a new
 * release — a raised requirement, a new tool, a removed track — applies in every process within 2 s.
 */

/** A person by id, or by key: an email address (any case) when it holds an @, otherwise an employee number. */
export type PersonRef = { id: string } | { key: string };

export const isEmailKey = (key: string) => key.includes("@");

type Person = ApiPerson & { certificatesByTrack: Map<string, CertificateInput[]> };

/**
 * The query of a person (by id, email or employee number) and their certificates of some tracks, built
 * once per database handle, kind of key and set of tracks, then only executed: the access check runs it
 * on every request, and building the SQL cost more than running it.
 */
type PersonQuery = ReturnType<typeof buildPersonQuery>;
const personQueries = new WeakMap<Database, Map<string, PersonQuery>>();
let preparedCount = 0;

function buildPersonQuery(db: Database, by: "id" | "email" | "number", trackIds: readonly string[]) {
  const key = sql.placeholder("key");
  const condition = by === "id" ? eq(users.id, key) : by === "email" ? eq(sql`lower(${users.email})`, key) : eq(users.employeeNumber, key);
  return db
    .select({
      userId: users.id,
      email: users.email,
      employeeNumber: users.employeeNumber,
      active: users.active,
      id: certificates.id,
      number: certificates.number,
      trackId: certificates.trackId,
      validUntil: certificates.validUntil,
      revokedAt: certificates.revokedAt,
    })
    .from(users)
    .leftJoin(
      certificates,
      and(eq(certificates.userId, users.id), trackIds.length > 0 ? inArray(certificates.trackId, [...trackIds]) : sql`false`),
    )
    .where(condition)
    .prepare(`access_person_${++preparedCount}`);
}

function personQuery(by: "id" | "email" | "number", trackIds: readonly string[]): PersonQuery {
  const db = getDb();
  let byShape = personQueries.get(db);
  if (!byShape) personQueries.set(db, (byShape = new Map()));
  const shape = `${by}:${trackIds.join(",")}`;
  let query = byShape.get(shape);
  if (!query) {
    // The catalog names a handful of track sets; a new release may bring others, so keep it bounded.
    if (byShape.size >= 256) byShape.clear();
    byShape.set(shape, (query = buildPersonQuery(db, by, trackIds)));
  }
  return query;
}

/** The person (found by id, email or employee number) and their certificates of the given tracks, in any state, in one query. */
async function loadPerson(ref: PersonRef, trackIds: readonly string[]): Promise<Person | null> {
  if (!("id" in ref)) {
    // The decision reads only the tool's tracks from the map, so the copy's full map serves as it is.
    const copied = replicaPerson(ref.key);
    if (copied !== undefined) return copied;
  }
  const [by, key] = "id" in ref ? (["id", ref.id] as const) : isEmailKey(ref.key) ? (["email", ref.key.toLowerCase()] as const) : (["number", ref.key] as const);
  const rows = await personQuery(by, [...trackIds].sort()).execute({ key });
  if (rows.length === 0) return null;
  const certificatesByTrack = new Map<string, CertificateInput[]>();
  for (const r of rows) {
    if (r.id === null || r.trackId === null || r.number === null || r.validUntil === null) continue;
    const list = certificatesByTrack.get(r.trackId) ?? [];
    list.push({ id: r.id, number: r.number, validUntil: new Date(r.validUntil), revokedAt: r.revokedAt ? new Date(r.revokedAt) : null });
    certificatesByTrack.set(r.trackId, list);
  }
  const { userId, email, employeeNumber, active } = rows[0]!;
  return { id: userId, email, employeeNumber, active, certificatesByTrack };
}

function decideAll(person: Person, tools: readonly Tool[], release: LoadedRelease, now: Date, nextSteps?: ReadonlyMap<string, NextStep>) {
  return tools.map((tool) =>
    decideAccess({ person: { active: person.active }, tool, certificatesByTrack: person.certificatesByTrack, release, now, nextSteps }),
  );
}

/** The tracks of the release that some decision misses, to look up what the person can do next. */
function missingTracks(decisions: readonly AccessDecision[], release: LoadedRelease): string[] {
  return [...new Set(decisions.flatMap((d) => d.tracks.filter((t) => t.missing && release.tracks.has(t.trackId)).map((t) => t.trackId)))];
}

export type DecisionOptions = {
  now?: Date;
  /**
   * Also work out the next step for each missing track (courses, exam, retake date, …): one more query
   * when something is missing (next-steps.server.ts). The page and the API want them; forward-auth does not.
   */
  nextSteps?: boolean;
};

async function decide(ref: PersonRef, pickTools: (release: LoadedRelease) => Tool[] | null, options: DecisionOptions) {
  const now = options.now ?? new Date();
  const release = await getCurrentRelease();
  if (!release) return { kind: "no-release" } as const;
  const tools = pickTools(release);
  if (!tools) return { kind: "unknown-tool" } as const;
  const person = await loadPerson(ref, [...new Set(tools.flatMap((t) => t.requiredTracks))]);
  if (!person) return { kind: "unknown-person" } as const;
  let decisions = decideAll(person, tools, release, now);
  const missing = person.active && options.nextSteps ? missingTracks(decisions, release) : [];
  if (missing.length > 0) {
    const steps = await nextStepsFor(release, person.id, missing, person.certificatesByTrack, now);
    decisions = decideAll(person, tools, release, now, steps);
  }
  const { certificatesByTrack: _certificates, ...found } = person;
  return { kind: "decided", release, decisions, person: found } as const;
}

export type ToolDecisionResult =
  | { kind: "decided"; decision: AccessDecision }
  | { kind: "unknown-tool" }
  | { kind: "unknown-person" }
  | { kind: "no-release" };

/** May this person use this tool now, and why — under the current release. */
export async function toolDecision(userId: string, toolId: string, options: DecisionOptions = {}): Promise<ToolDecisionResult> {
  const result = await toolDecisionFor({ id: userId }, toolId, options);
  return result.kind === "decided" ? { kind: "decided", decision: result.decision } : result;
}

/**
 * The same for a person named by id, email or employee number, who is found in the same query as their
 * certificates (the API's single check makes no separate look-up). When the release or the tool is
 * missing the person is not looked up: the kind says so, not whether the person exists.
 */
export async function toolDecisionFor(
  ref: PersonRef,
  toolId: string,
  options: DecisionOptions = {},
): Promise<{ kind: "decided"; person: ApiPerson; decision: AccessDecision } | Exclude<ToolDecisionResult, { kind: "decided" }>> {
  const result = await decide(ref, (release) => {
    const tool = release.tools.get(toolId);
    return tool ? [tool] : null;
  }, options);
  return result.kind === "decided" ? { kind: "decided", person: result.person, decision: result.decisions[0]! } : result;
}

export type ToolDecisionsResult =
  | { kind: "decided"; release: LoadedRelease; decisions: AccessDecision[] }
  | { kind: "unknown-person" }
  | { kind: "no-release" };

/** The decision for every tool of the current release's catalog, in catalog order. */
export async function toolDecisions(userId: string, options: DecisionOptions = {}): Promise<ToolDecisionsResult> {
  const result = await decide({ id: userId }, (release) => release.bundle.tools, options);
  if (result.kind === "unknown-tool") throw new Error("unreachable: every tool of the catalog is known");
  return result;
}
