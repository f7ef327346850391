import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { auditLog, users } from "#db/schema";
import * as admin from "~/routes/admin._index";
import { createUser, post, settle } from "../helpers/factories";

const run = (request: Request) => settle(() => admin.action({ request, params: {}, context: {} }));

describe("admin grants and removes roles", () => {
  it("grants a role, writes who did it to the audit log, and redirects with a notice", async () => {
    const boss = await createUser({ roles: ["admin"] });
    const target = await createUser();
    const { value } = await run(await post("/admin", { intent: "grant", userId: target.id, role: "hr" }, { userId: boss.id }));
    expect((value as Response).status).toBe(302);
    const [row] = await getDb().select({ roles: users.roles }).from(users).where(eq(users.id, target.id));
    expect(row?.roles).toEqual(["hr"]);
    const entries = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, target.id), eq(auditLog.action, "role.grant")));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: boss.id, details: { role: "hr" } });
  });

  it("removes a role and logs it; a repeated click changes nothing and logs nothing more", async () => {
    const boss = await createUser({ roles: ["admin"] });
    const target = await createUser({ roles: ["author", "hr"] });
    const form = { intent: "remove", userId: target.id, role: "author" };
    await run(await post("/admin", form, { userId: boss.id }));
    await run(await post("/admin", form, { userId: boss.id }));
    const [row] = await getDb().select({ roles: users.roles }).from(users).where(eq(users.id, target.id));
    expect(row?.roles).toEqual(["hr"]);
    const entries = await getDb().select().from(auditLog).where(eq(auditLog.targetId, target.id));
    expect(entries.map((e) => e.action)).toEqual(["role.remove"]);
  });

  it("does not let an admin remove their own admin role", async () => {
    const boss = await createUser({ roles: ["admin"] });
    await run(await post("/admin", { intent: "remove", userId: boss.id, role: "admin" }, { userId: boss.id }));
    const [row] = await getDb().select({ roles: users.roles }).from(users).where(eq(users.id, boss.id));
    expect(row?.roles).toEqual(["admin"]);
  });

  it("rejects a post without the CSRF token", async () => {
    const boss = await createUser({ roles: ["admin"] });
    const target = await createUser();
    const { value } = await run(
      await post("/admin", { intent: "grant", userId: target.id, role: "hr" }, { userId: boss.id, csrf: false }),
    );
    expect((value as Response).status).toBe(403);
    const [row] = await getDb().select({ roles: users.roles }).from(users).where(eq(users.id, target.id));
    expect(row?.roles).toEqual([]);
  });

  it("rejects an unknown role with 400", async () => {
    const boss = await createUser({ roles: ["admin"] });
    const target = await createUser();
    const { value } = await run(await post("/admin", { intent: "grant", userId: target.id, role: "owner" }, { userId: boss.id }));
    expect((value as Response).status).toBe(400);
  });
});
