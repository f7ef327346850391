import { describe, expect, it } from "vitest";
import {
  ALLOW_HEADER,
  MAX_BODY_BYTES,
  checkFormFields,
  checkRequestHead,
  hasNulInTarget,
  isCrossSite,
  isFormContentType,
  prefersHtml,
  type RequestHead,
} from "~/http/request-rules";

const form = "application/x-www-form-urlencoded";
const post = (overrides: Partial<RequestHead> = {}): RequestHead => ({
  method: "POST",
  url: "/login",
  host: "manabi.example.com",
  origin: "https://manabi.example.com",
  contentType: form,
  contentLength: "42",
  ...overrides,
});

describe("request rules", () => {
  it("lets pages and same-site form posts through", () => {
    expect(checkRequestHead({ method: "GET", url: "/learn?x=1", host: "manabi.example.com" })).toBeNull();
    expect(checkRequestHead({ method: "HEAD", url: "/", host: "manabi.example.com" })).toBeNull();
    expect(checkRequestHead(post())).toBeNull();
    expect(checkRequestHead(post({ contentType: "multipart/form-data; boundary=----x" }))).toBeNull();
    expect(checkRequestHead(post({ contentType: "application/x-www-form-urlencoded;charset=UTF-8" }))).toBeNull();
    // Remix's single-fetch action requests post the same forms to `.data` URLs.
    expect(checkRequestHead(post({ url: "/learn/c/l.data?index" }))).toBeNull();
    // No Origin header (older clients): the CSRF token decides.
    expect(checkRequestHead(post({ origin: null }))).toBeNull();
  });

  it("refuses TRACE and methods that page actions do not mean with 405", () => {
    for (const method of ["TRACE", "PUT", "PATCH", "DELETE", "PROPFIND"]) {
      expect(checkRequestHead(post({ method })), method).toEqual({ status: 405, reason: "methodNotAllowed" });
    }
    expect(ALLOW_HEADER).toBe("GET, HEAD, POST");
    expect(checkRequestHead({ method: "OPTIONS", url: "/login" })).toBe("options");
  });

  it("refuses posts from another site, an opaque origin or an unreadable one with 403", () => {
    for (const origin of ["https://evil.example.com", "null", "not a url", "https://manabi.example.com.evil.example"]) {
      expect(checkRequestHead(post({ origin })), origin).toEqual({ status: 403, reason: "crossSite" });
    }
  });

  it("compares the origin with X-Forwarded-Host first, like Remix", () => {
    const proxied = post({ host: "10.0.0.5:3000", forwardedHost: "manabi.example.com" });
    expect(isCrossSite(proxied)).toBe(false);
    expect(isCrossSite({ ...proxied, forwardedHost: "other.example.com, manabi.example.com" })).toBe(true);
    expect(isCrossSite(post({ host: "manabi.example.com:8443", origin: "https://manabi.example.com:8443" }))).toBe(false);
  });

  it("refuses bodies that are not forms with 415", () => {
    for (const contentType of ["application/json", "text/plain", "application/xml", "text/xml", "", null]) {
      expect(checkRequestHead(post({ contentType })), String(contentType)).toEqual({ status: 415, reason: "unsupportedMediaType" });
    }
    expect(isFormContentType("Multipart/Form-Data; boundary=x")).toBe(true);
    expect(isFormContentType("multipart/mixed; boundary=x")).toBe(false);
  });

  it("refuses a declared body over the limit with 413 before reading it", () => {
    expect(checkRequestHead(post({ contentLength: String(MAX_BODY_BYTES) }))).toBeNull();
    expect(checkRequestHead(post({ contentLength: String(MAX_BODY_BYTES + 1) }))).toEqual({ status: 413, reason: "tooLarge" });
    expect(checkRequestHead(post({ contentLength: "100" }), 99)).toEqual({ status: 413, reason: "tooLarge" });
    expect(MAX_BODY_BYTES).toBe(1024 * 1024);
  });

  it("refuses a NUL byte anywhere in the URL with 400, whatever the method", () => {
    expect(hasNulInTarget("/learn/%00")).toBe(true);
    expect(hasNulInTarget("/admin?q=a%00b")).toBe(true);
    expect(hasNulInTarget("/admin?q=%2500")).toBe(false);
    expect(checkRequestHead({ method: "GET", url: "/admin?q=%00" })).toEqual({ status: 400, reason: "badRequest" });
    expect(checkRequestHead(post({ url: "/login?x=%00" }))).toEqual({ status: 400, reason: "badRequest" });
  });

  it("refuses NUL bytes in form field names and values", () => {
    expect(checkFormFields(new URLSearchParams("email=a%40example.com&password=x"))).toBeNull();
    expect(checkFormFields(new URLSearchParams("email=a%00b"))).toEqual({ status: 400, reason: "badRequest" });
    expect(checkFormFields(new URLSearchParams("e%00mail=a"))).toEqual({ status: 400, reason: "badRequest" });
    const files = new FormData();
    files.set("file", new File(["\u0000binary"], "a.bin"));
    expect(checkFormFields(files)).toBeNull();
  });

  it("answers browsers with a page and other clients with problem+json", () => {
    expect(prefersHtml("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")).toBe(true);
    expect(prefersHtml("application/json")).toBe(false);
    expect(prefersHtml("*/*")).toBe(false);
    expect(prefersHtml(null)).toBe(false);
  });
});
