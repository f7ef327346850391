import { AuthorizationResponseError, ClientError, ResponseBodyError } from "openid-client";
import { describe, expect, it } from "vitest";
import { classifySsoError, failureStatus, passwordAllowedFor, personKeyOf } from "~/auth/sso-rules";

describe("which claim names a person", () => {
  it("compares emails in lower case and refuses one the provider says is unverified", () => {
    expect(personKeyOf({ email: " Hanako@Example.COM " }, "email")).toEqual({ kind: "email", value: "hanako@example.com" });
    expect(personKeyOf({ email: "a@example.com", email_verified: false }, "email")).toBeNull();
    expect(personKeyOf({}, "email")).toBeNull();
  });

  it("reads any other claim as an employee number in text, numbers included", () => {
    expect(personKeyOf({ employee_number: 1024 }, "employee_number")).toEqual({ kind: "employeeNumber", value: "1024" });
    expect(personKeyOf({ employee_number: " E-0042 " }, "employee_number")).toEqual({ kind: "employeeNumber", value: "E-0042" });
    expect(personKeyOf({ employee_number: ["x"] }, "employee_number")).toBeNull();
  });
});

describe("what a failed sign-in tells the person", () => {
  it("tells a clock-skewed ID token apart from other failed checks", () => {
    expect(classifySsoError(new ClientError("skew", { code: "OAUTH_JWT_TIMESTAMP_CHECK_FAILED" } as never))).toBe("clockSkew");
    expect(classifySsoError(new ClientError("nonce", { code: "OAUTH_JWT_CLAIM_COMPARISON_FAILED" } as never))).toBe("rejected");
  });

  it("treats a network failure or timeout as the provider being unreachable", () => {
    expect(classifySsoError(new TypeError("fetch failed"))).toBe("unreachable");
    expect(classifySsoError(Object.assign(new Error("timed out"), { name: "TimeoutError" }))).toBe("unreachable");
    expect(classifySsoError(new Error("something else"))).toBe("rejected");
  });

  it("reads a declined consent and a code used twice from the provider's answers", () => {
    const denied = new AuthorizationResponseError("denied", { cause: new URLSearchParams({ error: "access_denied" }) });
    expect(classifySsoError(denied)).toBe("denied");
    const reused = new ResponseBodyError("bad", { cause: { error: "invalid_grant" }, response: new Response(null, { status: 400 }) });
    expect(classifySsoError(reused)).toBe("rejected");
  });

  it("gives refusals of the person 403 and an unreachable provider 502", () => {
    expect(failureStatus("unknownPerson")).toBe(403);
    expect(failureStatus("inactive")).toBe(403);
    expect(failureStatus("unreachable")).toBe(502);
    expect(failureStatus("stateMismatch")).toBe(400);
  });
});

describe("passwords when single sign-on is the way in", () => {
  it("lets only the break-glass admins use a password when passwords are off", () => {
    expect(passwordAllowedFor("anyone@example.com", "on", [])).toBe(true);
    expect(passwordAllowedFor("anyone@example.com", "off", ["admin@example.com"])).toBe(false);
    expect(passwordAllowedFor(" Admin@Example.com", "off", ["admin@example.com"])).toBe(true);
  });
});
