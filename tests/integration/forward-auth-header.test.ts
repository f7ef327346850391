import { beforeAll, describe, expect, it, vi } from "vitest";

// The environment is read once per process, on first use: set the header name before anything reads it.
vi.hoisted(() => {
  process.env.FORWARD_AUTH_USER_HEADER = "X-Auth-Request-Email";
});

const { createApiToken } = await import("~/access/tokens.server");
const { recordExternalCertificate } = await import("~/certification/certificates.server");
const { publishRelease } = await import("~/content/publish.server");
const forwardAuth = await import("~/routes/api.v1.forward-auth.$toolId");
const { makeBundle } = await import("../helpers/content");
const { createUser } = await import("../helpers/factories");

const track = {
  id: "t-safe",
  title: { en: "AI Safe Use", ja: "AI安全利用" },
  summary: { en: "Safe use.", ja: "安全な利用です。" },
  courses: ["c1"],
  exam: { timeLimitMinutes: 20, passPercent: 80, minimums: [], attempts: 3, retakeWaitHours: 24, blueprint: [{ domain: "d1", count: 1 }] },
  validityMonths: 12,
  recertificationWindowDays: 60,
};

let secret: string;
beforeAll(async () => {
  await publishRelease(
    makeBundle({
      tracks: [track],
      tools: [{ id: "chat", name: { en: "Chat", ja: "チャット" }, vendor: { en: "V", ja: "V" }, description: { en: "D", ja: "D" }, dataClass: "internal", requiredTracks: ["t-safe"], guidance: null }],
    }),
    { id: null, name: "test" },
  );
  secret = (await createApiToken({ name: "gateway", scopes: ["access:read"] }, { id: null, via: "command-line" })).secret;
  const person = await createUser({ email: "taro@example.com" });
  const hr = await createUser({ roles: ["hr"] });
  await recordExternalCertificate({ userId: person.id, track, passedAt: new Date(Date.now() - 86_400_000), evidence: "x", actorId: hr.id });
});

const check = (headers: Record<string, string>) =>
  forwardAuth.loader({
    request: new Request("http://localhost/api/v1/forward-auth/chat", { headers: { Authorization: `Bearer ${secret}`, ...headers } }),
    params: { toolId: "chat" },
    context: {},
  });

describe("forward-auth reads the person from FORWARD_AUTH_USER_HEADER", () => {
  it("uses the configured header", async () => {
    expect((await check({ "X-Auth-Request-Email": "taro@example.com" })).status).toBe(204);
  });

  it("ignores the default header when another is configured", async () => {
    const res = await check({ "X-Forwarded-Email": "taro@example.com" });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe("not allowed: no person in the x-auth-request-email header\n");
  });
});
