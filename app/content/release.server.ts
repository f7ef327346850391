import { desc, eq } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { contentReleases } from "#db/schema";
import { serializeTree } from "~/mdx/compact";
import { withPhraseBreaks } from "./phrase-breaks";
import type { ContentBundle, Course, GlossaryTerm, Language, Lesson, MdxNode, Question, Tool, Track } from "./types";

/** The newest content release, indexed for lookups, cached in memory (no MDX work per request). */
export type LoadedRelease = {
  number: number;
  publishedAt: Date;
  bundle: ContentBundle;
  courses: Map<string, Course>;
  lessons: Map<string, Lesson>;
  questions: Map<string, Question>;
  glossary: Map<string, GlossaryTerm>;
  tracks: Map<string, Track>;
  tools: Map<string, Tool>;
  /** Glossary ids each lesson links with <Term>, found once when the release is loaded. */
  termsByLesson: Map<string, string[]>;
  /** Each lesson body serialised for the page, once per release: `${lessonId}:${lang}` → JSON. */
  serializedBodies: Map<string, string>;
  /**
   * Japanese display text (question stems, options, hints, explanations, glossary definitions, titles)
   * with its phrase breaks, worked out once per release when first shown: text → text with BREAKs.
   */
  phrased: Map<string, string>;
};

/** Text as a page shows it: Japanese with BudouX phrase breaks (U+2063, rendered as <wbr>), once per release. */
export function displayText(release: LoadedRelease, text: string, lang: Language): string {
  if (lang !== "ja") return text;
  let out = release.phrased.get(text);
  if (out === undefined) {
    out = withPhraseBreaks(text);
    release.phrased.set(text, out);
  }
  return out;
}

function collectTerms(nodes: readonly MdxNode[], into: Set<string>): Set<string> {
  for (const node of nodes) {
    if (node.type !== "element") continue;
    if (node.name === "Term" && typeof node.props.id === "string") into.add(node.props.id);
    collectTerms(node.children, into);
  }
  return into;
}

/** How long a process trusts its cached release before asking the database for a newer number. */
const RECHECK_MS = 2000;

type CacheState = { release: LoadedRelease | null; checkedAt: number; pending: Promise<LoadedRelease | null> | null };
const key = Symbol.for("manabi.release-cache");
const g = globalThis as typeof globalThis & { [key]?: CacheState };
const state = (g[key] ??= { release: null, checkedAt: 0, pending: null });

export function indexRelease(number: number, publishedAt: Date, bundle: ContentBundle): LoadedRelease {
  const byId = <T extends { id: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]));
  return {
    number,
    publishedAt,
    bundle,
    courses: byId(bundle.courses),
    lessons: byId(bundle.lessons),
    questions: byId(bundle.questions),
    glossary: byId(bundle.glossary),
    tracks: byId(bundle.tracks),
    tools: byId(bundle.tools),
    serializedBodies: new Map(
      bundle.lessons.flatMap((l) => (["en", "ja"] as const).map((lang) => [`${l.id}:${lang}`, serializeTree(l.body[lang])] as const)),
    ),
    termsByLesson: new Map(
      bundle.lessons.map((l) => [l.id, [...collectTerms(l.body.ja, collectTerms(l.body.en, new Set()))]]),
    ),
    phrased: new Map(),
  };
}

async function refresh(): Promise<LoadedRelease | null> {
  const db = getDb();
  const [latest] = await db
    .select({ number: contentReleases.number })
    .from(contentReleases)
    .orderBy(desc(contentReleases.number))
    .limit(1);
  state.checkedAt = Date.now();
  if (!latest) return (state.release = null);
  if (state.release?.number === latest.number) return state.release;
  const [row] = await db
    .select({ number: contentReleases.number, publishedAt: contentReleases.publishedAt, bundle: contentReleases.bundle })
    .from(contentReleases)
    .where(eq(contentReleases.number, latest.number));
  state.release = row ? indexRelease(row.number, new Date(row.publishedAt), row.bundle) : null;
  return state.release;
}

export async function getCurrentRelease(): Promise<LoadedRelease | null> {
  if (state.release && Date.now() - state.checkedAt < RECHECK_MS) return state.release;
  state.pending ??= refresh().finally(() => {
    state.pending = null;
  });
  return state.pending;
}

/** The current release, or a 503 page saying that no content has been published yet. */
export async function requireRelease(): Promise<LoadedRelease> {
  const release = await getCurrentRelease();
  if (!release) throw new Response("No content release yet", { status: 503, statusText: "no-release" });
  return release;
}

/** After a publish in this process: the next request loads the new release at once. */
export function invalidateReleaseCache(): void {
  state.checkedAt = 0;
}

/** Releases are immutable: a few recent ones stay indexed in memory for attempts pinned to them. */
const byNumberKey = Symbol.for("manabi.release-by-number");
const byNumber = ((g as typeof g & { [byNumberKey]?: Map<number, Promise<LoadedRelease | null>> })[byNumberKey] ??= new Map());
const BY_NUMBER_MAX = 8;

/** A given release (e.g. the one an exam attempt is pinned to), or null if there is none with that number. */
export function getReleaseByNumber(number: number): Promise<LoadedRelease | null> {
  if (state.release?.number === number) return Promise.resolve(state.release);
  let pending = byNumber.get(number);
  if (!pending) {
    pending = getDb()
      .select({ number: contentReleases.number, publishedAt: contentReleases.publishedAt, bundle: contentReleases.bundle })
      .from(contentReleases)
      .where(eq(contentReleases.number, number))
      .then(([row]) => (row ? indexRelease(row.number, new Date(row.publishedAt), row.bundle) : null));
    pending.then((r: LoadedRelease | null) => (r ? undefined : byNumber.delete(number)), () => byNumber.delete(number));
    byNumber.set(number, pending);
    if (byNumber.size > BY_NUMBER_MAX) byNumber.delete(byNumber.keys().next().value!);
  }
  return pending;
}
