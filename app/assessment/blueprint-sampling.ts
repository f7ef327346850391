import type { Random } from "./random";
import { shuffle } from "./shuffle";

/** An exam question as the draw sees it. */
export type BankItem = { id: string; domain: string };
export type BlueprintEntry = { domain: string; count: number };

export type Shortage = { domain: string; needed: number; available: number };

export type DrawResult =
  | {
      kind: "drawn";
      /** The drawn question ids, shuffled so that domains are interleaved. */
      questionIds: string[];
      /** The drawn ids the learner already saw in a previous attempt (the bank had too few unseen ones). */
      repeatedIds: string[];
    }
  | { kind: "bank-too-small"; shortages: Shortage[] };

/**
 * Draws `count` questions of each blueprint domain from `bank`, then shuffles them all together.
 *
 * - Questions the learner has never seen come first; only when a domain has too few of them is it
 *   filled from earlier attempts, those seen longest ago first (`previousAttempts` is most recent first,
 *   each the question ids of one attempt).
 * - Never a duplicate: the bank is de-duplicated by id, and a blueprint naming a domain twice draws the
 *   sum of its counts once.
 * - The result depends only on the seed behind `random` and on the *set* of bank items, not on the
 *   order the bank was listed in, so an audit can reproduce it from the release.
 * - A domain holding fewer questions than asked is an expected outcome (the content checker should have
 *   stopped it): a `bank-too-small` result naming every such domain, never a short exam.
 */
export function drawFromBlueprint(
  bank: readonly BankItem[],
  blueprint: readonly BlueprintEntry[],
  previousAttempts: readonly (readonly string[])[],
  random: Random,
): DrawResult {
  const wanted = new Map<string, number>();
  for (const { domain, count } of blueprint) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`blueprint count for ${domain} must be a whole number ≥ 0, got ${count}`);
    wanted.set(domain, (wanted.get(domain) ?? 0) + count);
  }

  const byDomain = new Map<string, string[]>();
  const seenIds = new Set<string>();
  for (const { id, domain } of bank) {
    if (seenIds.has(id)) continue;
    seenIds.add(id);
    const list = byDomain.get(domain) ?? [];
    list.push(id);
    byDomain.set(domain, list);
  }

  const shortages: Shortage[] = [];
  for (const [domain, needed] of wanted) {
    const available = byDomain.get(domain)?.length ?? 0;
    if (available < needed) shortages.push({ domain, needed, available });
  }
  if (shortages.length > 0) return { kind: "bank-too-small", shortages };

  // How long ago each question was last seen: 0 = the previous attempt, 1 = the one before, …
  const lastSeen = new Map<string, number>();
  previousAttempts.forEach((ids, age) => {
    for (const id of ids) if (!lastSeen.has(id)) lastSeen.set(id, age);
  });

  const drawn: string[] = [];
  const repeatedIds: string[] = [];
  for (const [domain, needed] of wanted) {
    if (needed === 0) continue;
    const pool = [...(byDomain.get(domain) ?? [])].sort();
    // Tiers: never seen, then seen longest ago, …, then seen in the previous attempt. Random within a tier.
    const tiers = new Map<number, string[]>();
    for (const id of pool) {
      const tier = lastSeen.has(id) ? lastSeen.get(id)! : Number.POSITIVE_INFINITY;
      tiers.set(tier, [...(tiers.get(tier) ?? []), id]);
    }
    const ordered = [...tiers.keys()].sort((a, b) => b - a).flatMap((tier) => shuffle(tiers.get(tier)!, random));
    const chosen = ordered.slice(0, needed);
    drawn.push(...chosen);
    repeatedIds.push(...chosen.filter((id) => lastSeen.has(id)));
  }

  return { kind: "drawn", questionIds: shuffle(drawn, random), repeatedIds };
}
