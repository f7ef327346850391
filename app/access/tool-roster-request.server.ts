import { can } from "~/auth/permissions";
import { requireUser } from "~/auth/session.server";
import type { RosterScope } from "./tool-roster.server";

/**
 * Who is asking for a tool's roster, and what they may see: HR the whole company (optionally one
 * department with its sub-departments), a manager their reporting line; anyone else is refused.
 */
export async function rosterRequest(request: Request) {
  const user = await requireUser(request);
  if (can(user, "read:report:company")) {
    const raw = new URL(request.url).searchParams.get("department")?.trim() ?? "";
    const departmentId = raw !== "" && raw.length <= 100 && !/[\u0000-\u001f\u007f]/.test(raw) ? raw : null;
    return { user, scope: { kind: "company", departmentId } as RosterScope, departmentId };
  }
  if (can(user, "read:report:team")) return { user, scope: { kind: "team", managerId: user.id } as RosterScope, departmentId: null };
  throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
}
