import { describe, expect, it } from "vitest";
import { guidanceItems } from "~/access/guidance";

describe("a tool's guidance as list items", () => {
  it("makes one item per '- ' line, trimmed, in order", () => {
    expect(guidanceItems("- Sign in with your company account.\n-  Never enter secrets. \n- Check facts.")).toEqual([
      "Sign in with your company account.",
      "Never enter secrets.",
      "Check facts.",
    ]);
  });

  it("keeps Japanese items whole and drops blank lines and empty markers", () => {
    expect(guidanceItems("- 必ず会社のアカウントでログインしてください。\r\n\r\n- \n- 出力は下書きです。")).toEqual([
      "必ず会社のアカウントでログインしてください。",
      "出力は下書きです。",
    ]);
  });

  it("joins a wrapped line to its item, and a text without markers is one item", () => {
    expect(guidanceItems("- A long rule\n  that wraps.\n- Next.")).toEqual(["A long rule that wraps.", "Next."]);
    expect(guidanceItems("Use it for drafts only.")).toEqual(["Use it for drafts only."]);
  });

  it("has no items for missing guidance", () => {
    expect(guidanceItems(null)).toEqual([]);
    expect(guidanceItems(undefined)).toEqual([]);
    expect(guidanceItems("  \n ")).toEqual([]);
  });

  it("reads every shipped tool's guidance as several items in both languages", async () => {
    const fs = await import("node:fs");
    const path = await import("node:path");
    const { parse } = await import("yaml");
    const dir = path.resolve("content/tools");
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
      const tool = parse(fs.readFileSync(path.join(dir, file), "utf8")) as { guidance?: { en: string; ja: string } };
      if (!tool.guidance) continue;
      const en = guidanceItems(tool.guidance.en);
      const ja = guidanceItems(tool.guidance.ja);
      expect(en.length, file).toBeGreaterThan(1);
      expect(ja.length, file).toBe(en.length);
      for (const item of [...en, ...ja]) expect(item, file).not.toMatch(/^[-*]/);
    }
  });
});
