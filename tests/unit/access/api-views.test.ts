import { describe, expect, it } from "vitest";
import { accessView, chunks, denialText } from "~/access/api-views";
import { decideAccess, type CertificateInput } from "~/access/decision";
import { EnvError, parseEnv } from "~/env.server";

const NOW = new Date("2026-11-30T03:00:00.000Z");
const release = { number: 7, tracks: new Map([["safe", { recertificationWindowDays: 60 }], ["prac", { recertificationWindowDays: 90 }]]) };
const person = { id: "u-1", email: "hanako@example.com", employeeNumber: "E001", active: true };
const tool = { id: "chat", name: { en: "Chat", ja: "チャット" } };
const cert = (id: string, validUntil: string, revokedAt: string | null = null): CertificateInput => ({
  id,
  number: `MNB-2026-${id}`,
  validUntil: new Date(validUntil),
  revokedAt: revokedAt ? new Date(revokedAt) : null,
});

describe("the API's access answer", () => {
  it("names the certificates and the release an allowed decision rests on", () => {
    const decision = decideAccess({
      person,
      tool: { id: "chat", requiredTracks: ["safe", "prac"] },
      certificatesByTrack: new Map([["safe", [cert("1", "2027-03-31T14:59:59.999Z")]], ["prac", [cert("2", "2027-01-31T14:59:59.999Z")]]]),
      release,
      now: NOW,
    });
    expect(accessView(person, tool, decision)).toEqual({
      allowed: true,
      user: person,
      tool,
      validUntil: "2027-01-31T14:59:59.999Z",
      missingTracks: [],
      certificates: [
        { trackId: "safe", id: "1", number: "MNB-2026-1", validUntil: "2027-03-31T14:59:59.999Z" },
        { trackId: "prac", id: "2", number: "MNB-2026-2", validUntil: "2027-01-31T14:59:59.999Z" },
      ],
      release: 7,
    });
  });

  it("lists each missing track with why and the next step, and the certificates still held", () => {
    const decision = decideAccess({
      person,
      tool: { id: "chat", requiredTracks: ["safe", "prac", "gone"] },
      certificatesByTrack: new Map([["safe", [cert("1", "2026-11-30T02:59:59.999Z")]], ["prac", [cert("2", "2027-01-31T14:59:59.999Z", "2026-11-01T00:00:00Z")]]]),
      release,
      now: NOW,
      nextSteps: new Map([["safe", { kind: "retake", opensAt: "2026-12-01T00:00:00.000Z" }]]),
    });
    const view = accessView(person, tool, decision);
    expect(view.allowed).toBe(false);
    expect(view.validUntil).toBeNull();
    expect(view.certificates).toEqual([]);
    expect(view.missingTracks).toEqual([
      { trackId: "safe", reason: "certificate-expired", nextStep: { kind: "retake", opensAt: "2026-12-01T00:00:00.000Z" } },
      { trackId: "prac", reason: "certificate-revoked", nextStep: { kind: "exam" } },
      { trackId: "gone", reason: "unknown-track", nextStep: { kind: "unknown-track" } },
    ]);
    expect(denialText(decision, true)).toBe("not allowed: safe certificate expired; prac certificate revoked; gone track not offered");
  });

  it("says an inactive account is why, even with valid certificates", () => {
    const inactive = { ...person, active: false };
    const decision = decideAccess({
      person: inactive,
      tool: { id: "chat", requiredTracks: ["safe"] },
      certificatesByTrack: new Map([["safe", [cert("1", "2027-03-31T14:59:59.999Z")]]]),
      release,
      now: NOW,
    });
    expect(accessView(inactive, tool, decision)).toMatchObject({ allowed: false, user: { active: false }, missingTracks: [] });
    expect(denialText(decision, false)).toBe("not allowed: account inactive");
  });

  it("splits work into bounded groups", () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 3)).toEqual([]);
  });
});

describe("FORWARD_AUTH_USER_HEADER", () => {
  it("defaults to x-forwarded-email and is read case-insensitively", () => {
    expect(parseEnv({}).FORWARD_AUTH_USER_HEADER).toBe("x-forwarded-email");
    expect(parseEnv({ FORWARD_AUTH_USER_HEADER: "X-Auth-Request-Email" }).FORWARD_AUTH_USER_HEADER).toBe("x-auth-request-email");
  });

  it("refuses a value that is not a header name", () => {
    expect(() => parseEnv({ FORWARD_AUTH_USER_HEADER: "X Email:" })).toThrow(EnvError);
    expect(() => parseEnv({ FORWARD_AUTH_USER_HEADER: "X Email:" })).toThrow(/FORWARD_AUTH_USER_HEADER: must be an HTTP header name/);
  });
});

describe("ACCESS_REPLICA", () => {
  it("is on unless set to off, and refuses anything else", () => {
    expect(parseEnv({}).ACCESS_REPLICA).toBe("on");
    expect(parseEnv({ ACCESS_REPLICA: "off" }).ACCESS_REPLICA).toBe("off");
    expect(() => parseEnv({ ACCESS_REPLICA: "no" })).toThrow(/ACCESS_REPLICA: must be on or off/);
  });
});
