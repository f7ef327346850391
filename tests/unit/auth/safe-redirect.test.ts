import { describe, expect, it } from "vitest";
import { MAX_REDIRECT_LENGTH, safeRedirect } from "~/auth/safe-redirect";

describe("safeRedirect", () => {
  it("keeps same-site paths with their query and fragment", () => {
    expect(safeRedirect("/learn?x=1")).toBe("/learn?x=1");
    expect(safeRedirect("/learn/safe-use/intro#check")).toBe("/learn/safe-use/intro#check");
    expect(safeRedirect("/")).toBe("/");
  });

  it("percent-encodes non-Latin paths so the target is a valid Location header", () => {
    const target = safeRedirect("/日本語?q=テスト");
    expect(target).toBe("/%E6%97%A5%E6%9C%AC%E8%AA%9E?q=%E3%83%86%E3%82%B9%E3%83%88");
    expect(() => new Headers({ Location: target })).not.toThrow();
    expect(decodeURIComponent(target)).toBe("/日本語?q=テスト");
  });

  it("does not encode an already encoded path twice", () => {
    expect(safeRedirect("/%E6%97%A5%E6%9C%AC%E8%AA%9E")).toBe("/%E6%97%A5%E6%9C%AC%E8%AA%9E");
    expect(safeRedirect("/a%20b")).toBe("/a%20b");
  });

  it("sends anything off-site home", () => {
    for (const target of [
      "https://evil.example.com",
      "//evil.example.com",
      "/\\evil.example.com",
      "/..//evil.example.com",
      "/./..//evil.example.com/x",
      "javascript:alert(1)",
      "evil.example.com",
    ]) {
      expect(safeRedirect(target), target).toBe("/");
    }
  });

  it("refuses control characters (header injection)", () => {
    expect(safeRedirect("/ok\nSet-Cookie: x")).toBe("/");
    expect(safeRedirect("/ok\r\nLocation: //evil")).toBe("/");
    expect(safeRedirect("/ok\u0000")).toBe("/");
    expect(safeRedirect("/ok\u007f")).toBe("/");
  });

  it("ignores over-long targets, before and after encoding", () => {
    expect(safeRedirect("/" + "a".repeat(MAX_REDIRECT_LENGTH))).toBe("/");
    expect(safeRedirect("/" + "a".repeat(MAX_REDIRECT_LENGTH - 2))).toBe("/" + "a".repeat(MAX_REDIRECT_LENGTH - 2));
    // 500 kanji are 500 characters but 4,500 once encoded.
    expect(safeRedirect("/" + "日".repeat(500))).toBe("/");
  });

  it("uses the fallback for empty or non-text values", () => {
    expect(safeRedirect(null, "/home")).toBe("/home");
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect("")).toBe("/");
    expect(safeRedirect(new File(["x"], "x.txt"))).toBe("/");
  });
});
