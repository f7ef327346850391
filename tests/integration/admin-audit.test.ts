import type { LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { auditLog } from "#db/schema";
import { createApiToken, revokeApiToken } from "~/access/tokens.server";
import { changeRole } from "~/org/people.server";
import * as auditPage from "~/routes/admin.audit";
import * as adminPage from "~/routes/admin._index";
import { createUser, get, post, settle } from "../helpers/factories";

type Loaded = Awaited<ReturnType<typeof auditPage.loader>>;
const load = (loader: (args: LoaderFunctionArgs) => Promise<unknown>, request: Request) =>
  settle(() => loader({ request, params: {}, context: {} }));
const audit = async (query: string, userId: string) => (await load(auditPage.loader, await get(`/admin/audit${query}`, userId))).value as Loaded;

/** Entries on a day of their own (Japan time), so a test sees only its own rows. */
async function entriesOn(day: string, rows: { action: string; actorId?: string | null; targetType?: string; targetId?: string; details?: Record<string, unknown> }[]) {
  const start = new Date(`${day}T00:30:00+09:00`).getTime();
  await getDb()
    .insert(auditLog)
    .values(rows.map((r, i) => ({ actorId: null, details: {}, ...r, createdAt: new Date(start + i * 60_000) })));
}

describe("the audit log page", () => {
  it("is for admins only: HR, managers, authors and learners are refused, signed-out visitors sent to sign in", async () => {
    const learner = await createUser();
    const manager = await createUser();
    await createUser({ managerId: manager.id });
    const hr = await createUser({ roles: ["hr"] });
    const author = await createUser({ roles: ["author"] });
    for (const [role, user] of Object.entries({ learner, manager, hr, author })) {
      const { thrown, value } = await load(auditPage.loader, await get("/admin/audit", user.id));
      expect(thrown, role).toBe(true);
      expect((value as Response).status, role).toBe(403);
    }
    const anonymous = await load(auditPage.loader, new Request("http://localhost/admin/audit"));
    expect((anonymous.value as Response).status).toBe(302);
    expect((anonymous.value as Response).headers.get("Location")).toMatch(/^\/login/);
  });

  it("lists role changes, token creation and revocation and publishes, newest first, with names resolved", async () => {
    const admin = await createUser({ roles: ["admin"], familyName: "監査", givenName: "花子" });
    const target = await createUser({ familyName: "対象", givenName: "一郎" });
    await changeRole({ actorId: admin.id, targetId: target.id, role: "hr", grant: true });
    const token = await createApiToken({ name: "Gateway audit test", scopes: ["access:read"] }, { id: admin.id, via: "admin" });
    await revokeApiToken(token.id, { id: admin.id, via: "admin" });
    await getDb().insert(auditLog).values({ actorId: admin.id, action: "content.publish", targetType: "content_release", targetId: "42", details: { publisher: "x" } });

    const { entries } = await audit("?person=%E7%9B%A3%E6%9F%BB", admin.id); // 監査
    expect(entries.map((e) => e.action)).toEqual(["content.publish", "token.revoke", "token.create", "role.grant"]);
    expect(entries[3]).toMatchObject({ actor: { familyName: "監査" }, target: { familyName: "対象" }, details: { role: "hr" } });
    expect(entries[2]?.details).toMatchObject({ tokenName: "Gateway audit test", prefix: token.prefix });
    expect(entries[0]?.details.number).toBe("42");
    // Nothing secret or raw is sent: no token hash, no details object as stored.
    expect(JSON.stringify(entries)).not.toMatch(/secret|hash|"via"/);
  });

  it("finds a person's entries whether they acted or were acted on", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const target = await createUser({ familyName: "検索", givenName: "対象者", email: `target-${Date.now()}@audit.example.com` });
    await changeRole({ actorId: admin.id, targetId: target.id, role: "author", grant: true });
    await changeRole({ actorId: admin.id, targetId: target.id, role: "author", grant: false });
    const byName = await audit(`?person=${encodeURIComponent("検索対象者")}`, admin.id);
    expect(byName.entries.map((e) => e.action)).toEqual(["role.remove", "role.grant"]);
    const byEmail = await audit(`?person=${encodeURIComponent(target.email)}&kind=roles`, admin.id);
    expect(byEmail.entries).toHaveLength(2);
    expect((await audit("?person=nobody-matches-this-xyz", admin.id)).entries).toEqual([]);
  });

  it("filters by kind and by days in Japan time, the last day included", async () => {
    const admin = await createUser({ roles: ["admin"] });
    await entriesOn("2001-03-01", [{ action: "content.publish", targetType: "content_release", targetId: "7" }, { action: "export.completion-csv" }]);
    await entriesOn("2001-03-02", [{ action: "role.grant", details: { role: "hr" } }]);
    const both = await audit("?from=2001-03-01&to=2001-03-02", admin.id);
    expect(both.entries.map((e) => e.action)).toEqual(["role.grant", "export.completion-csv", "content.publish"]);
    const firstDay = await audit("?from=2001-03-01&to=2001-03-01", admin.id);
    expect(firstDay.entries.map((e) => e.action)).toEqual(["export.completion-csv", "content.publish"]);
    const exports = await audit("?kind=exports&from=2001-03-01&to=2001-03-02", admin.id);
    expect(exports.entries.map((e) => e.action)).toEqual(["export.completion-csv"]);
    const publishes = await audit("?kind=publish&from=2001-03-01&to=2001-03-02", admin.id);
    expect(publishes.entries.map((e) => e.details.number)).toEqual(["7"]);
  });

  it("pages through long logs, 50 a page, and says when there is an older page", async () => {
    const admin = await createUser({ roles: ["admin"] });
    await entriesOn(
      "2001-04-01",
      Array.from({ length: 53 }, (_, i) => ({ action: "role.grant", details: { role: "hr", n: i } })),
    );
    const first = await audit("?from=2001-04-01&to=2001-04-01", admin.id);
    expect(first.entries).toHaveLength(50);
    expect(first.hasNext).toBe(true);
    const second = await audit("?from=2001-04-01&to=2001-04-01&page=2", admin.id);
    expect(second.entries).toHaveLength(3);
    expect(second.hasNext).toBe(false);
    expect(new Set([...first.entries, ...second.entries].map((e) => e.id)).size).toBe(53);
  });

  it("answers a bad date with a message instead of an error", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const loaded = await audit("?from=2026-13-40&to=soon", admin.id);
    expect(loaded.errors).toEqual({ from: "admin.auditLog.filter.invalidDate", to: "admin.auditLog.filter.invalidDate" });
    expect(Array.isArray(loaded.entries)).toBe(true);
  });
});

describe("removing a role asks first", () => {
  type AdminLoaded = Awaited<ReturnType<typeof adminPage.loader>>;
  const adminLoad = async (query: string, userId: string) => (await load(adminPage.loader, await get(`/admin${query}`, userId))).value as AdminLoaded;

  it("shows a confirmation only for a role the person has, and never for one's own admin role", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const target = await createUser({ roles: ["hr"] });
    expect((await adminLoad(`?remove=${target.id}&role=hr`, admin.id)).confirm).toEqual({ userId: target.id, role: "hr" });
    expect((await adminLoad(`?remove=${target.id}&role=author`, admin.id)).confirm).toBeNull();
    expect((await adminLoad(`?remove=${admin.id}&role=admin`, admin.id)).confirm).toBeNull();
    expect((await adminLoad(`?remove=${target.id}&role=owner`, admin.id)).confirm).toBeNull();
    expect((await adminLoad("", admin.id)).me).toBe(admin.id);
  });

  it("goes back to the list (search kept, confirmation gone) after the removal; a second submit changes nothing", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const target = await createUser({ roles: ["hr"] });
    const form = { intent: "remove", userId: target.id, role: "hr" };
    const request = await post(`/admin?q=x&remove=${target.id}&role=hr`, form, { userId: admin.id });
    const { value } = await settle(() => adminPage.action({ request, params: {}, context: {} }));
    expect((value as Response).status).toBe(302);
    expect((value as Response).headers.get("Location")).toBe("/admin?q=x");
    const again = await post("/admin?q=x", form, { userId: admin.id });
    await settle(() => adminPage.action({ request: again, params: {}, context: {} }));
    const { entries } = await audit(`?person=${encodeURIComponent(target.email)}`, admin.id);
    expect(entries.map((e) => e.action)).toEqual(["role.remove"]);
  });
});
