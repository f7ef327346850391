import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { users } from "#db/schema";
import { isInReportingLine, reportsOf } from "~/org/reports.server";
import { createUser } from "../helpers/factories";

describe("a manager's reporting line", () => {
  it("holds direct and indirect reports down a 3-level chain, and nobody else", async () => {
    const ceo = await createUser();
    const head = await createUser({ managerId: ceo.id });
    const lead = await createUser({ managerId: head.id });
    const member = await createUser({ managerId: lead.id });
    const peerOfHead = await createUser({ managerId: ceo.id });
    const peersReport = await createUser({ managerId: peerOfHead.id });
    const leaver = await createUser({ managerId: lead.id, active: false });
    const stranger = await createUser();

    const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
    expect(ids(await reportsOf(head.id))).toEqual([lead.id, member.id].sort());
    expect(ids(await reportsOf(ceo.id))).toEqual([head.id, lead.id, member.id, peerOfHead.id, peersReport.id].sort());
    expect(await reportsOf(member.id)).toEqual([]);
    const headLine = await reportsOf(head.id);
    expect(headLine.find((r) => r.id === lead.id)!.direct).toBe(true);
    expect(headLine.find((r) => r.id === member.id)!.direct).toBe(false);

    expect(await isInReportingLine(head.id, member.id)).toBe(true);
    expect(await isInReportingLine(head.id, peersReport.id)).toBe(false);
    expect(await isInReportingLine(head.id, ceo.id)).toBe(false);
    expect(await isInReportingLine(head.id, stranger.id)).toBe(false);
    expect(await isInReportingLine(head.id, head.id)).toBe(false);
    expect(ids(await reportsOf(head.id))).not.toContain(leaver.id);
  });

  it("stops at a cycle in stored data instead of looping", async () => {
    const a = await createUser();
    const b = await createUser({ managerId: a.id });
    await getDb().update(users).set({ managerId: b.id }).where(eq(users.id, a.id));
    expect((await reportsOf(a.id)).map((r) => r.id)).toEqual([b.id]);
    // The single-person check walks up from the person: it stops at the cycle too, with the same answer.
    expect(await isInReportingLine(a.id, b.id)).toBe(true);
    expect(await isInReportingLine(b.id, a.id)).toBe(true);
    expect(await isInReportingLine(a.id, a.id)).toBe(false);
  });
});
