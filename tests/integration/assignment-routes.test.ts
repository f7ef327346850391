import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { assignmentDepartments, assignmentPeople, assignments, auditLog } from "#db/schema";
import { tokyoDay } from "~/assignments/assignment-status";
import { publishRelease } from "~/content/publish.server";
import * as home from "~/routes/_index";
import * as page from "~/routes/hr_.assignments";
import * as learn from "~/routes/learn._index";
import { makeBundle, safeUseTrack } from "../helpers/content";
import { createDepartment, createUser, get, post, settle } from "../helpers/factories";

const track = { ...safeUseTrack, id: `t-asgr-${randomUUID().slice(0, 6)}`, title: { en: "Route track", ja: "ルート用トラック" } };
const run = (fn: (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<unknown>, request: Request) =>
  settle(() => fn({ request, params: {}, context: {} }));
const later = (days: number) => tokyoDay(new Date(Date.now() + days * 86_400_000));

type ActionError = { data: { result: { error: Record<string, string[]> }; unknown: string[]; unknownCount: number }; init: { status: number } };

let hr: Awaited<ReturnType<typeof createUser>>;
let dept: string;

beforeAll(async () => {
  await publishRelease(makeBundle({ tracks: [track] }), { id: null, name: "test" });
  hr = await createUser({ roles: ["hr"] });
  dept = (await createDepartment({ nameJa: "割当部", nameEn: "Assigned" })).id;
});

describe("the assignments page", () => {
  it("is refused to learners, managers, authors and admins without HR (403), and sends visitors to sign in", async () => {
    const manager = await createUser();
    await createUser({ managerId: manager.id });
    const who = { learner: await createUser(), manager, author: await createUser({ roles: ["author"] }), admin: await createUser({ roles: ["admin"] }) };
    for (const [role, user] of Object.entries(who)) {
      for (const [name, fn, request] of [
        ["page", page.loader, await get("/hr/assignments", user.id)],
        ["create", page.action, await post("/hr/assignments", { intent: "create", trackId: track.id, scope: "everyone", dueOn: later(30) }, { userId: user.id })],
        ["withdraw", page.action, await post("/hr/assignments", { intent: "withdraw", assignmentId: "x" }, { userId: user.id })],
      ] as const) {
        const { thrown, value } = await run(fn, request);
        expect(thrown, `${role} ${name}`).toBe(true);
        expect((value as Response).status, `${role} ${name}`).toBe(403);
      }
    }
    const anonymous = await run(page.loader, new Request("http://localhost/hr/assignments"));
    expect((anonymous.value as Response).status).toBe(302);
  });

  it("explains each mistake beside its field and creates nothing", async () => {
    const before = (await getDb().select().from(assignments).where(eq(assignments.trackId, track.id))).length;
    const cases: [Record<string, string>, string, string][] = [
      [{ scope: "everyone", dueOn: later(10) }, "trackId", "assignments.errors.trackRequired"],
      [{ trackId: "nope", scope: "everyone", dueOn: later(10) }, "trackId", "assignments.errors.trackRequired"],
      [{ trackId: track.id, scope: "everyone" }, "dueOn", "assignments.errors.whenRequired"],
      [{ trackId: track.id, scope: "everyone", dueOn: later(-1) }, "dueOn", "assignments.errors.dueOnPast"],
      [{ trackId: track.id, scope: "everyone", dueOn: "2027-02-30" }, "dueOn", "assignments.errors.dueOnInvalid"],
      [{ trackId: track.id, scope: "everyone", newHireDays: "0" }, "newHireDays", "assignments.errors.newHireDaysInvalid"],
      [{ trackId: track.id, scope: "everyone", newHireDays: "1.5" }, "newHireDays", "assignments.errors.newHireDaysInvalid"],
      [{ trackId: track.id, scope: "departments", dueOn: later(10) }, "departmentIds", "assignments.errors.departmentsRequired"],
      [{ trackId: track.id, scope: "departments", "departmentIds[0]": "no-such-dept", dueOn: later(10) }, "departmentIds", "assignments.errors.departmentsRequired"],
      [{ trackId: track.id, scope: "people", people: " \n ", dueOn: later(10) }, "people", "assignments.errors.peopleRequired"],
      [{ trackId: track.id, dueOn: later(10) }, "scope", "assignments.errors.scopeRequired"],
    ];
    for (const [fields, field, message] of cases) {
      const { thrown, value } = await run(page.action, await post("/hr/assignments", { intent: "create", ...fields }, { userId: hr.id }));
      expect(thrown, JSON.stringify(fields)).toBe(false);
      const reply = value as ActionError;
      expect(reply.init.status).toBe(400);
      expect(reply.data.result.error[field], JSON.stringify(fields)).toContain(message);
    }
    expect((await getDb().select().from(assignments).where(eq(assignments.trackId, track.id))).length).toBe(before);
  });

  it("names the listed people who match nobody, and assigns the rest only once they are corrected", async () => {
    const a = await createUser({ employeeNumber: `00${randomUUID().slice(0, 5)}` });
    const b = await createUser({ email: `Mixed.Case.${randomUUID().slice(0, 5)}@Example.com` });
    const people = `${a.employeeNumber}\n${b.email.toUpperCase()}, nobody-${randomUUID().slice(0, 4)}@example.com\t99999999`;
    const bad = await run(page.action, await post("/hr/assignments", { intent: "create", trackId: track.id, scope: "people", people, dueOn: later(20) }, { userId: hr.id }));
    const reply = bad.value as ActionError;
    expect(reply.data.result.error.people).toContain("assignments.errors.peopleUnknown");
    expect(reply.data.unknownCount).toBe(2);
    expect(reply.data.unknown[1]).toBe("99999999");

    const good = await run(
      page.action,
      await post("/hr/assignments", { intent: "create", trackId: track.id, scope: "people", people: `${a.employeeNumber}\n${b.email.toUpperCase()}`, dueOn: later(20) }, { userId: hr.id }),
    );
    expect((good.value as Response).status).toBe(302);
    const [created] = await getDb().select().from(assignments).where(eq(assignments.createdById, hr.id)).orderBy(desc(assignments.createdAt)).limit(1);
    const listed = await getDb().select().from(assignmentPeople).where(eq(assignmentPeople.assignmentId, created!.id));
    expect(listed.map((p) => p.userId).sort()).toEqual([a.id, b.id].sort());

    // The learner sees it on their home page with its due day.
    const { value } = await run(home.loader, await get("/", a.id));
    const { assignments: mine } = value as { assignments: { trackId: string; dueOn: string; status: string }[] };
    expect(mine.find((m) => m.trackId === track.id)).toMatchObject({ dueOn: later(20), status: "not-started", daysLeft: 20 });
    // And on My learning, beside the track.
    const learning = (await run(learn.loader, await get("/learn", a.id))).value as { assignments: { trackId: string; dueOn: string }[] };
    expect(learning.assignments.find((m) => m.trackId === track.id)).toMatchObject({ dueOn: later(20) });
  });

  it("assigns departments, lists what each reaches, withdraws once with the audit log telling both", async () => {
    const sub = (await createDepartment({ nameJa: "割当課", nameEn: "Assigned unit", parentId: dept })).id;
    await createUser({ departmentId: dept });
    await createUser({ departmentId: sub });
    await createUser({ departmentId: sub, active: false });
    const created = await run(
      page.action,
      await post("/hr/assignments", { intent: "create", trackId: track.id, scope: "departments", "departmentIds[0]": dept, dueOn: later(40), newHireDays: "30" }, { userId: hr.id }),
    );
    expect((created.value as Response).status).toBe(302);
    const [row] = await getDb().select().from(assignments).where(eq(assignments.createdById, hr.id)).orderBy(desc(assignments.createdAt)).limit(1);
    expect(row).toMatchObject({ scope: "departments", dueOn: later(40), newHireDays: 30 });
    expect((await getDb().select().from(assignmentDepartments).where(eq(assignmentDepartments.assignmentId, row!.id))).map((d) => d.departmentId)).toEqual([dept]);

    const { value } = await run(page.loader, await get("/hr/assignments", hr.id));
    const listed = (value as { assignments: { id: string; reach: number; departments: { id: string }[] }[] }).assignments.find((a) => a.id === row!.id);
    expect(listed).toMatchObject({ reach: 2, departments: [{ id: dept }] });

    const withdraw = () => post("/hr/assignments", { intent: "withdraw", assignmentId: row!.id }, { userId: hr.id });
    expect(((await run(page.action, await withdraw())).value as Response).status).toBe(302);
    // A second click (double submit, or two HR officers) changes nothing and says so.
    expect(((await run(page.action, await withdraw())).value as Response).status).toBe(302);
    const entries = await getDb().select().from(auditLog).where(eq(auditLog.targetId, row!.id));
    expect(entries.map((e) => e.action).sort()).toEqual(["assignment.create", "assignment.withdraw"]);
  });
});
