import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { apiTokens, auditLog } from "#db/schema";
import { authenticateBearer } from "~/access/tokens.server";
import * as page from "~/routes/admin.tokens";
import { createUser, get, post, settle } from "../helpers/factories";

type Reply = { type: string; data: { result: { error?: Record<string, string[]> }; created: { name: string; prefix: string; secret: string } | null }; init: ResponseInit | null };

const load = (request: Request) => settle(() => page.loader({ request, params: {}, context: {} }));
const act = (request: Request) => settle(() => page.action({ request, params: {}, context: {} }));

describe("/admin/tokens", () => {
  it("is refused to every role but admin, for reading and for changes", async () => {
    const manager = await createUser();
    await createUser({ managerId: manager.id });
    const roles = { learner: await createUser(), manager, hr: await createUser({ roles: ["hr"] }), author: await createUser({ roles: ["author"] }) };
    for (const [role, user] of Object.entries(roles)) {
      const read = await load(await get("/admin/tokens", user.id));
      expect(read.thrown, role).toBe(true);
      expect((read.value as Response).status, role).toBe(403);
      const write = await act(await post("/admin/tokens", { intent: "create", name: "x", scopes: "access:read" }, { userId: user.id }));
      expect((write.value as Response).status, role).toBe(403);
    }
    const anonymous = await load(new Request("http://localhost/admin/tokens"));
    expect((anonymous.value as Response).status).toBe(302);
    expect(await getDb().select().from(apiTokens).where(eq(apiTokens.name, "x"))).toEqual([]);
  });

  it("makes a token and shows its secret in that answer only; the list never holds it", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const request = await post("/admin/tokens", { intent: "create", name: "LLM gateway", scopes: "access:read" }, { userId: admin.id });
    const { value } = await act(request);
    const reply = value as Reply;
    expect(reply.data.created).toMatchObject({ name: "LLM gateway" });
    expect(new Headers(reply.init?.headers).get("Cache-Control")).toBe("no-store");
    const secret = reply.data.created!.secret;
    expect(await authenticateBearer(`Bearer ${secret}`)).toMatchObject({ name: "LLM gateway", scopes: ["access:read"] });

    const listed = await load(await get("/admin/tokens", admin.id));
    const text = JSON.stringify(listed.value);
    expect(text).toContain(reply.data.created!.prefix);
    expect(text).not.toContain(secret.slice(18));
    expect(text).not.toContain("tokenHash");
  });

  it("refuses a nameless or scopeless token with the errors beside the fields", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const { value } = await act(await post("/admin/tokens", { intent: "create", name: "  " }, { userId: admin.id }));
    const reply = value as Reply;
    expect(reply.init?.status).toBe(400);
    expect(reply.data.created).toBeNull();
    expect(reply.data.result.error).toMatchObject({ name: ["apiTokens.errors.nameRequired"], scopes: ["apiTokens.errors.scopeRequired"] });
    const bad = (await act(await post("/admin/tokens", { intent: "create", name: "x", scopes: "admin" }, { userId: admin.id }))).value as Reply;
    expect(bad.init?.status).toBe(400);
  });

  it("asks before revoking, then revokes and logs who did it", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const made = (await act(await post("/admin/tokens", { intent: "create", name: "to revoke", scopes: "access:read" }, { userId: admin.id }))).value as Reply;
    const token = (await getDb().select().from(apiTokens).where(eq(apiTokens.prefix, made.data.created!.prefix)))[0]!;

    const confirm = (await load(await get(`/admin/tokens?revoke=${token.id}`, admin.id))).value as { revoke: { id: string } | null };
    expect(confirm.revoke?.id).toBe(token.id);

    const { value } = await act(await post("/admin/tokens", { intent: "revoke", tokenId: token.id }, { userId: admin.id }));
    expect((value as Response).status).toBe(302);
    expect(await authenticateBearer(`Bearer ${made.data.created!.secret}`)).toBeNull();
    const entries = await getDb().select().from(auditLog).where(eq(auditLog.targetId, token.id));
    expect(entries.map((e) => [e.action, e.actorId])).toEqual([
      ["token.create", admin.id],
      ["token.revoke", admin.id],
    ]);
    const after = (await load(await get(`/admin/tokens?revoke=${token.id}`, admin.id))).value as {
      revoke: unknown;
      activity: { action: string; tokenName: string | null; actor: { familyName: string } | null }[];
    };
    expect(after.revoke).toBeNull();
    // The page shows the token entries of the audit log, newest first.
    expect(after.activity.filter((a) => a.tokenName === "to revoke").map((a) => [a.action, a.actor?.familyName])).toEqual([
      ["token.revoke", admin.familyName],
      ["token.create", admin.familyName],
    ]);
    const unknown = await act(await post("/admin/tokens", { intent: "revoke", tokenId: "tok-none" }, { userId: admin.id }));
    expect((unknown.value as Response).status).toBe(404);
  });

  it("refuses a change without the CSRF token", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const { value } = await act(await post("/admin/tokens", { intent: "create", name: "csrf", scopes: "access:read" }, { userId: admin.id, csrf: false }));
    expect((value as Response).status).toBe(403);
    expect(await getDb().select().from(apiTokens).where(eq(apiTokens.name, "csrf"))).toEqual([]);
  });
});
