import type { LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import * as admin from "~/routes/admin._index";
import * as authoring from "~/routes/authoring._index";
import * as hr from "~/routes/hr";
import * as learn from "~/routes/learn._index";
import * as team from "~/routes/team";
import * as tools from "~/routes/tools";
import { createUser, get, post, settle } from "../helpers/factories";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
const call = (loader: Loader, request: Request) => settle(() => loader({ request, params: {}, context: {} }));

const pages: { name: string; path: string; loader: Loader; allowed: "everyone" | "manager" | "hr" | "author" | "admin" }[] = [
  { name: "My learning", path: "/learn", loader: learn.loader, allowed: "everyone" },
  { name: "My AI tools", path: "/tools", loader: tools.loader, allowed: "everyone" },
  { name: "Team", path: "/team", loader: team.loader, allowed: "manager" },
  { name: "HR", path: "/hr", loader: hr.loader, allowed: "hr" },
  { name: "Authoring", path: "/authoring", loader: authoring.loader, allowed: "author" },
  { name: "Admin", path: "/admin", loader: admin.loader, allowed: "admin" },
];

async function people() {
  const learner = await createUser();
  const manager = await createUser();
  await createUser({ managerId: manager.id });
  const hrUser = await createUser({ roles: ["hr"] });
  const author = await createUser({ roles: ["author"] });
  const adminUser = await createUser({ roles: ["admin"] });
  return { learner, manager, hr: hrUser, author, admin: adminUser };
}

describe("every page checks its permission", () => {
  it("sends signed-out visitors to sign in", async () => {
    for (const page of pages) {
      const { value } = await call(page.loader, new Request(`http://localhost${page.path}`));
      expect((value as Response).status, page.name).toBe(302);
      expect((value as Response).headers.get("Location"), page.name).toMatch(/^\/login/);
    }
  });

  it("refuses each role the pages that are not theirs with 403, and opens their own", async () => {
    const who = await people();
    for (const page of pages) {
      for (const [role, user] of Object.entries(who)) {
        const { thrown, value } = await call(page.loader, await get(page.path, user.id));
        const allowed = page.allowed === "everyone" || page.allowed === role;
        if (allowed) {
          // Allowed: rendered, or a page-level answer such as 503 "nothing published yet" — never 403 or sign-in.
          const status = thrown && value instanceof Response ? value.status : 200;
          expect([403, 302], `${role} on ${page.name}`).not.toContain(status);
        } else {
          expect(thrown, `${role} on ${page.name}`).toBe(true);
          expect((value as Response).status, `${role} on ${page.name}`).toBe(403);
        }
      }
    }
  });

  it("refuses publishing content to anyone but an author", async () => {
    const who = await people();
    for (const role of ["learner", "manager", "hr", "admin"] as const) {
      const request = await post("/authoring", {}, { userId: who[role].id });
      const { value } = await settle(() => authoring.action({ request, params: {}, context: {} }));
      expect((value as Response).status, role).toBe(403);
    }
  });

  it("refuses a role change from anyone but an admin", async () => {
    const who = await people();
    for (const role of ["learner", "manager", "hr", "author"] as const) {
      const request = await post("/admin", { intent: "grant", userId: who.learner.id, role: "admin" }, { userId: who[role].id });
      const { value } = await settle(() => admin.action({ request, params: {}, context: {} }));
      expect((value as Response).status, role).toBe(403);
    }
  });
});
