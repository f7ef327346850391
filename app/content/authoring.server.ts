import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { User } from "lucia";
import { env } from "~/env.server";
import { checkContent } from "./load.server";
import { previewAgainstLatest, publishRelease, type PublishResult } from "./publish.server";
import type { CheckResult } from "./types";

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
export async function draftStatus() {
  const result = await checkDraft();
  const errors = result.problems.filter((p) => p.severity === "error");
  const comparison = result.bundle ? await previewAgainstLatest(result.bundle) : null;
  return {
    problems: result.problems,
    errors: errors.length,
    bundle: result.bundle,
    comparison,
    stats: result.stats ?? { banks: [], domains: [] },
    organisation: result.organisation ?? null,
  };
}

export type PublishDraftResult = { ok: false; errors: number } | ({ ok: true } & PublishResult);

export async function publishDraft(user: Pick<User, "id" | "displayName" | "email">): Promise<PublishDraftResult> {
  const result = await checkDraft();
  if (!result.bundle) return { ok: false, errors: result.problems.filter((p) => p.severity === "error").length };
  return { ok: true, ...(await publishRelease(result.bundle, { id: user.id, name: `${user.displayName} <${user.email}>` })) };
}
