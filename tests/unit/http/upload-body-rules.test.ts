import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, checkRequestHead, uploadBodyLimit } from "~/http/request-rules";

const post = (url: string, contentType: string, contentLength: number) =>
  checkRequestHead({ method: "POST", url, host: "manabi.test", origin: "http://manabi.test", contentType, contentLength: String(contentLength) });

describe("file uploads to the org import page", () => {
  const MB = 1024 * 1024;

  it("accept multipart bodies up to 20 MB on /hr/import only", () => {
    expect(uploadBodyLimit("POST", "/hr/import", "multipart/form-data; boundary=x")).toBe(20 * MB);
    expect(uploadBodyLimit("POST", "/hr/import?_data=routes%2Fhr_.import", "multipart/form-data; boundary=x")).toBe(20 * MB);
    expect(post("/hr/import", "multipart/form-data; boundary=x", 19 * MB)).toBeNull();
    expect(post("/hr/import", "multipart/form-data; boundary=x", 21 * MB)).toMatchObject({ status: 413 });
  });

  it("keep the ordinary limit for other pages and for url-encoded posts to the import page", () => {
    expect(uploadBodyLimit("POST", "/hr/importx", "multipart/form-data")).toBeNull();
    expect(uploadBodyLimit("POST", "/hr/import", "application/x-www-form-urlencoded")).toBeNull();
    expect(post("/hr/certificates", "multipart/form-data; boundary=x", 2 * MB)).toMatchObject({ status: 413 });
    expect(post("/hr/import", "application/x-www-form-urlencoded", MAX_BODY_BYTES + 1)).toMatchObject({ status: 413 });
  });

  it("still refuse other media types and cross-site posts there", () => {
    expect(post("/hr/import", "text/csv", 10)).toMatchObject({ status: 415 });
    expect(checkRequestHead({ method: "POST", url: "/hr/import", host: "manabi.test", origin: "https://evil.test", contentType: "multipart/form-data; boundary=x", contentLength: "10" })).toMatchObject({ status: 403 });
  });
});
