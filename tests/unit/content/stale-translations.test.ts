import { describe, expect, it } from "vitest";
import { changedBlocks, changeTitles, staleTranslationProblems, staleTranslations } from "~/content/diff";
import type { ContentBundle } from "~/content/types";
import { makeBundle } from "../../helpers/content";

/** The bundle with lesson l1's text in `lang` edited (its source hash changed). */
function edit(bundle: ContentBundle, lang: "en" | "ja", to: string): ContentBundle {
  const next = structuredClone(bundle);
  next.lessons[0]!.sourceHash[lang] = to;
  return next;
}

describe("translations that fell behind", () => {
  it("stay flagged in later releases until the language behind is updated", () => {
    const r1 = makeBundle();
    const r2 = edit(r1, "en", "en-2");
    const stale2 = staleTranslations(r1, r2, [], 2);
    expect(stale2).toEqual([{ kind: "lesson", id: "l1", stale: "ja", since: 2 }]);

    // Release 3 changes something else (or the English again): Japanese is still behind, since release 2.
    const r3 = edit(r2, "en", "en-3");
    const stale3 = staleTranslations(r2, r3, stale2, 3);
    expect(stale3).toEqual([{ kind: "lesson", id: "l1", stale: "ja", since: 2 }]);
    const r4 = structuredClone(r3);
    r4.lessons[1]!.minutes += 1;
    const stale4 = staleTranslations(r3, r4, stale3, 4);
    expect(stale4).toEqual([{ kind: "lesson", id: "l1", stale: "ja", since: 2 }]);

    // Release 5 updates the Japanese: caught up, and the English is not flagged in turn.
    const r5 = edit(r4, "ja", "ja-5");
    expect(staleTranslations(r4, r5, stale4, 5)).toEqual([]);
  });

  it("end when the item is removed, and start again on a new one-language change", () => {
    const r1 = makeBundle();
    const r2 = edit(r1, "ja", "ja-2");
    const stale2 = staleTranslations(r1, r2, [], 2);
    expect(stale2).toEqual([{ kind: "lesson", id: "l1", stale: "en", since: 2 }]);
    const removed = structuredClone(r2);
    removed.lessons = removed.lessons.slice(1);
    expect(staleTranslations(r2, removed, stale2, 3)).toEqual([]);

    const both = edit(edit(r2, "ja", "ja-3"), "en", "en-3");
    expect(staleTranslations(r2, both, stale2, 3)).toEqual([]);
  });

  it("are warnings for content:check that say since which release", () => {
    const problems = staleTranslationProblems([{ kind: "lesson", id: "l1", stale: "ja", since: 2 }], makeBundle(), 4);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toBe("Lesson l1: the English version changed in release #2, the Japanese one has not changed since");
    expect(problems[0]!.file).toBe("courses/c1/l1.ja.mdx");
  });
});

describe("what a preview marks as changed", () => {
  const p = (text: string) => ({ type: "element", name: "p", props: {}, children: [{ type: "text", value: text }] });
  it("marks the blocks the previous version lacks, and every block of a new lesson", () => {
    const before = [p("one"), p("two"), p("two")];
    expect(changedBlocks(before, [p("one"), p("two"), p("two")])).toEqual([]);
    expect(changedBlocks(before, [p("one"), p("2"), p("two")])).toEqual([1]);
    expect(changedBlocks(before, [p("zero"), p("one"), p("two"), p("two"), p("two")])).toEqual([0, 4]);
    expect(changedBlocks(null, [p("a"), p("b")])).toEqual([0, 1]);
  });
});

describe("change lists", () => {
  it("name lessons, courses, tracks and tools by title, from the first bundle that has them", () => {
    const older = makeBundle();
    const newer = structuredClone(older);
    newer.lessons[0]!.title = { en: "Renamed", ja: "改名" };
    const titles = changeTitles(newer, older);
    expect(titles.lessons!.l1).toEqual({ en: "Renamed", ja: "改名" });
    expect(titles.courses!.c1).toEqual(older.courses[0]!.title);
  });
});
