import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ERROR_PAGE_CSP, errorPageHtml, problemDetails, type ErrorKey } from "~/http/error-document";

const KEYS: ErrorKey[] = ["400", "403", "404", "405", "413", "415", "500", "crossSite", "starting"];

describe("error answers made outside Remix", () => {
  it("have a title and a message in both languages for every key", () => {
    for (const key of KEYS) {
      const ja = problemDetails({ status: 400, key, language: "ja", requestId: "r1" });
      const en = problemDetails({ status: 400, key, language: "en", requestId: "r1" });
      expect(ja.title, key).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(en.title, key).toMatch(/^[\x20-\x7e]+$/);
      expect(ja.detail, key).not.toBe(en.detail);
    }
  });

  it("are RFC 9457 problem details with the request id", () => {
    expect(problemDetails({ status: 413, key: "413", language: "en", requestId: "ab12cd34" })).toEqual({
      type: "about:blank",
      status: 413,
      title: "What you sent is too large",
      detail: "The form is larger than Manabi accepts. Shorten what you entered and send it again.",
      requestId: "ab12cd34",
    });
  });

  it("render a page in the reader's language with the request id", () => {
    const html = errorPageHtml({ status: 405, key: "405", language: "ja", requestId: "ab12cd34" });
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain("<h1>この種類のリクエストは受け付けていません</h1>");
    expect(html).toContain("問い合わせ番号：ab12cd34");
    expect(html).toContain('data-status="405"');
  });

  it("escape the request id in the page", () => {
    const html = errorPageHtml({ status: 500, key: "500", language: "en", requestId: '<script>"x"</script>' });
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;&quot;x&quot;&lt;/script&gt;");
  });

  it("allow exactly their own inline style and nothing else", () => {
    const html = errorPageHtml({ status: 400, key: "400", language: "en", requestId: "x" });
    const style = /<style>([^<]*)<\/style>/.exec(html)![1]!;
    const hash = createHash("sha256").update(style).digest("base64");
    expect(ERROR_PAGE_CSP).toContain(`style-src 'sha256-${hash}'`);
    expect(ERROR_PAGE_CSP).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script/);
  });
});
