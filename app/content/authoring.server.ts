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

export async function checkDraft(): Promise<CheckResult> {
  return checkContent(contentDir());
}

/** The draft compared with the newest release: what publishing now would change. */
export async function draftStatus() {
  const result = await checkDraft();
  const errors = result.problems.filter((p) => p.severity === "error");
  const comparison = result.bundle ? await previewAgainstLatest(result.bundle) : null;
  return { problems: result.problems, errors: errors.length, bundle: result.bundle, comparison };
}

export type PublishDraftResult = { ok: false; errors: number } | ({ ok: true } & PublishResult);

export async function publishDraft(user: Pick<User, "id" | "displayName" | "email">): Promise<PublishDraftResult> {
  const result = await checkDraft();
  if (!result.bundle) return { ok: false, errors: result.problems.filter((p) => p.severity === "error").length };
  return { ok: true, ...(await publishRelease(result.bundle, { id: user.id, name: `${user.displayName} <${user.email}>` })) };
}
