import { createHash } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { auditLog, contentReleases, type ReleaseChangeSummary, type StaleTranslation } from "#db/schema";
import { bundleCounts, canonicalJson, countChanges, staleTranslations, summarizeChanges } from "./diff";
import { invalidateReleaseCache } from "./release.server";
import type { ContentBundle } from "./types";

export type Publisher = { id: string | null; name: string };

export type PublishResult =
  | { published: true; number: number; summary: ReleaseChangeSummary; stale: StaleTranslation[] }
  | { published: false; reason: "unchanged"; number: number };

export function hashBundle(bundle: ContentBundle): string {
  return createHash("sha256").update(canonicalJson(bundle)).digest("hex");
}

/** Compares a checked bundle with the newest release, without writing anything (for previews). */
export async function previewAgainstLatest(bundle: ContentBundle) {
  const [latest] = await getDb()
    .select({
      number: contentReleases.number,
      bundle: contentReleases.bundle,
      contentHash: contentReleases.contentHash,
      stale: contentReleases.staleTranslations,
    })
    .from(contentReleases)
    .orderBy(desc(contentReleases.number))
    .limit(1);
  return {
    latestNumber: latest?.number ?? null,
    /** The newest release's bundle, for titles of what the draft changes or removes. */
    latestBundle: latest?.bundle ?? null,
    unchanged: latest?.contentHash === hashBundle(bundle),
    summary: summarizeChanges(latest?.bundle ?? null, bundle),
    /** Behind in the draft: fallen behind in it, or in an earlier release and not caught up since. */
    stale: staleTranslations(latest?.bundle ?? null, bundle, latest?.stale ?? [], (latest?.number ?? 0) + 1),
  };
}

/**
 * Writes a checked bundle as the next numbered release, in one transaction: a failure leaves the
 * previous release live. Publishing content identical to the newest release creates nothing.
 */
export async function publishRelease(
  bundle: ContentBundle,
  publisher: Publisher,
  options: { onStep?: (step: "locking" | "comparing" | "writing" | "done") => void } = {},
): Promise<PublishResult> {
  const step = options.onStep ?? (() => {});
  const contentHash = hashBundle(bundle);
  const result = await getDb().transaction(async (tx) => {
    step("locking");
    // One publisher at a time, so release numbers have no gaps and no duplicates.
    await tx.execute(sql`lock table ${contentReleases} in share row exclusive mode`);
    step("comparing");
    const [latest] = await tx
      .select({
        number: contentReleases.number,
        bundle: contentReleases.bundle,
        contentHash: contentReleases.contentHash,
        stale: contentReleases.staleTranslations,
      })
      .from(contentReleases)
      .orderBy(desc(contentReleases.number))
      .limit(1);
    if (latest && latest.contentHash === contentHash) {
      return { published: false, reason: "unchanged", number: latest.number } as const;
    }
    const summary = summarizeChanges(latest?.bundle ?? null, bundle);
    const number = (latest?.number ?? 0) + 1;
    const stale = staleTranslations(latest?.bundle ?? null, bundle, latest?.stale ?? [], number);
    step("writing");
    await tx.insert(contentReleases).values({
      number,
      publishedById: publisher.id,
      publishedByName: publisher.name,
      contentHash,
      summary,
      staleTranslations: stale,
      counts: bundleCounts(bundle),
      bundle,
    });
    await tx.insert(auditLog).values({
      actorId: publisher.id,
      action: "content.publish",
      targetType: "content_release",
      targetId: String(number),
      details: { publisher: publisher.name, changes: countChanges(summary), stale: stale.length, newlyStale: stale.filter((s) => s.since === number).length },
    });
    return { published: true, number, summary, stale } as const;
  });
  invalidateReleaseCache();
  step("done");
  return result;
}

/** The translations recorded as behind on a release (a small read: not its bundle). */
export async function staleOfRelease(number: number): Promise<StaleTranslation[]> {
  const [row] = await getDb()
    .select({ stale: contentReleases.staleTranslations })
    .from(contentReleases)
    .where(eq(contentReleases.number, number));
  return row?.stale ?? [];
}

export type ReleaseListItem = {
  number: number;
  publishedAt: Date;
  publishedByName: string;
  summary: ReleaseChangeSummary;
  staleTranslations: StaleTranslation[];
  counts: Record<string, number>;
};

export async function listReleases(limit = 50): Promise<ReleaseListItem[]> {
  return getDb()
    .select({
      number: contentReleases.number,
      publishedAt: contentReleases.publishedAt,
      publishedByName: contentReleases.publishedByName,
      summary: contentReleases.summary,
      staleTranslations: contentReleases.staleTranslations,
      counts: contentReleases.counts,
    })
    .from(contentReleases)
    .orderBy(desc(contentReleases.number))
    .limit(limit);
}
