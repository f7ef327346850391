import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { User } from "lucia";
import { env } from "~/env.server";
import { checkContent } from "./load.server";
import type { StaleTranslation } from "#db/schema/content";
import { changedBlocks, staleTranslations } from "./diff";
import { previewAgainstLatest, publishRelease, staleOfRelease, type PublishResult } from "./publish.server";
import { getCurrentRelease } from "./release.server";
import type { CheckResult, ContentBundle, Language } from "./types";

/** The CoE's content folder on this server's disk (CONTENT_DIR, else ./content). */
export function contentDir(): string {
  return path.resolve(env().CONTENT_DIR ?? "content");
}

/**
 * A hash of every file under the folder (paths and bytes): reading ~100 small files takes a few
 * milliseconds, while checking them (compiling every lesson) takes most of a second.
 */
export async function contentFingerprint(dir: string): Promise<string> {
  const hash = createHash("sha256");
  const walk = async (folder: string): Promise<void> => {
    const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) hash.update(`${path.relative(dir, full)}\0`).update(await readFile(full)).update("\0");
    }
  };
  await walk(dir);
  return hash.digest("hex");
}

/** The last check, by folder and fingerprint: authoring pages re-check only when a file changed. */
let cached: { dir: string; fingerprint: string; result: Promise<CheckResult> } | null = null;

export async function checkDraftAt(dir: string): Promise<CheckResult> {
  const fingerprint = await contentFingerprint(dir);
  if (cached?.dir !== dir || cached.fingerprint !== fingerprint) {
    const result = checkContent(dir);
    cached = { dir, fingerprint, result };
    result.catch(() => {
      if (cached?.result === result) cached = null;
    });
  }
  return cached.result;
}

export async function checkDraft(): Promise<CheckResult> {
  return checkDraftAt(contentDir());
}

/** The draft compared with the newest release: what publishing now would change. */
/**
 * The last comparison of a checked draft with the live release: kept while neither changes (the same
 * cached check result, the same live release number), as comparing reads the release's whole bundle.
 */
let compared: { result: CheckResult; releaseNumber: number | null; value: Promise<Awaited<ReturnType<typeof previewAgainstLatest>>> } | null = null;

async function compareWithLive(result: CheckResult & { bundle: ContentBundle }) {
  const releaseNumber = (await getCurrentRelease())?.number ?? null;
  if (compared?.result !== result || compared.releaseNumber !== releaseNumber) {
    const value = previewAgainstLatest(result.bundle);
    compared = { result, releaseNumber, value };
    value.catch(() => {
      if (compared?.value === value) compared = null;
    });
  }
  return compared.value;
}

export async function draftStatus(dir = contentDir()) {
  const result = await checkDraftAt(dir);
  const errors = result.problems.filter((p) => p.severity === "error");
  const comparison = result.bundle ? await compareWithLive(result as CheckResult & { bundle: ContentBundle }) : null;
  return {
    problems: result.problems,
    errors: errors.length,
    bundle: result.bundle,
    comparison,
    stats: result.stats ?? { banks: [], domains: [] },
    organisation: result.organisation ?? null,
  };
}

export type PublishDraftResult =
  | { ok: false; reason: "errors"; errors: number }
  | { ok: false; reason: "stale-unconfirmed"; stale: number }
  | ({ ok: true } & PublishResult);

/**
 * Publishes the draft. With translations behind (new or from earlier releases) the author must
 * confirm (`confirmStale`), as the Authoring page asks beside the button.
 */
export async function publishDraft(
  user: Pick<User, "id" | "displayName" | "email">,
  options: { confirmStale?: boolean; dir?: string } = {},
): Promise<PublishDraftResult> {
  const result = await checkDraftAt(options.dir ?? contentDir());
  if (!result.bundle) return { ok: false, reason: "errors", errors: result.problems.filter((p) => p.severity === "error").length };
  if (!options.confirmStale) {
    const { stale, unchanged } = await previewAgainstLatest(result.bundle);
    if (stale.length > 0 && !unchanged) return { ok: false, reason: "stale-unconfirmed", stale: stale.length };
  }
  return { ok: true, ...(await publishRelease(result.bundle, { id: user.id, name: `${user.displayName} <${user.email}>` })) };
}

export type LessonSideChanges = {
  /** Compared with the live release: a lesson it lacks, one whose text in this language changed, or not. */
  status: "new" | "changed" | "unchanged";
  /** Top-level blocks of the draft body that the live release does not have (for a preview to mark). */
  changedBlocks: number[];
  /** This language is behind the other (in the draft, counting earlier releases), or null. */
  behind: StaleTranslation | null;
};

/** What the draft of one lesson changes against the live release, per language (null: nothing published yet). */
export async function draftLessonChanges(
  bundle: ContentBundle,
  lessonId: string,
): Promise<{ releaseNumber: number; sides: Record<Language, LessonSideChanges> } | null> {
  const live = await getCurrentRelease();
  const lesson = bundle.lessons.find((l) => l.id === lessonId);
  if (!live || !lesson) return null;
  const before = live.lessons.get(lessonId) ?? null;
  const stale = staleTranslations(live.bundle, bundle, await staleOfRelease(live.number), live.number + 1).filter(
    (s) => s.kind === "lesson" && s.id === lessonId,
  );
  const side = (lang: Language): LessonSideChanges => {
    const status = !before ? "new" : before.sourceHash[lang] === lesson.sourceHash[lang] ? "unchanged" : "changed";
    return {
      status,
      changedBlocks: status === "unchanged" ? [] : changedBlocks(before?.body[lang] ?? null, lesson.body[lang]),
      behind: stale.find((s) => s.stale === lang) ?? null,
    };
  };
  return { releaseNumber: live.number, sides: { ja: side("ja"), en: side("en") } };
}
