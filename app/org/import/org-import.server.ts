/**
 * Organisation import against the database: the dry run (problems and plan), applying a plan in one
 * transaction (batched, so 50,000 people take seconds), and the pending imports behind the HR page's
 * Apply button. The command line (scripts/org-import.ts) and the page share every rule.
 */
import { createHash, randomUUID } from "node:crypto";
import { and, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import { getDb, type Database, type Transaction } from "#db/client.server";
import { auditLog, departments, orgImports, users } from "#db/schema";
import { markEntitlementsStale } from "~/access/entitlement-marks.server";
import { decodeImportFile, type ImportEncoding } from "./decode";
import { canonicalPlan, planImport, type Plan, type Snapshot } from "./plan";
import { validateImportText, type ImportProblem } from "./validate";

const BATCH = 1000;
/** Rows per insert: 12 values each, within PostgreSQL's 65,535 parameters. */
const INSERT_BATCH = 4000;
/** A pending import older than this is discarded: HR uploads again to see a fresh dry run. */
const PENDING_LIFETIME_MS = 24 * 60 * 60 * 1000;

export type Analysis = {
  encoding: ImportEncoding | null;
  text: string | null;
  problems: ImportProblem[];
  errors: number;
  warnings: number;
  /** Null when the file has errors: nothing can be applied. */
  plan: Plan | null;
  hash: string | null;
};

export type Progress = (done: number, total: number) => void;

type Db = Database | Transaction;

export async function loadSnapshot(db: Db): Promise<Snapshot> {
  const [people, depts] = await Promise.all([
    db
      .select({
        id: users.id,
        employeeNumber: users.employeeNumber,
        email: users.email,
        familyName: users.familyName,
        givenName: users.givenName,
        familyNameKana: users.familyNameKana,
        givenNameKana: users.givenNameKana,
        departmentId: users.departmentId,
        managerId: users.managerId,
        preferredLanguage: users.preferredLanguage,
        active: users.active,
      })
      .from(users),
    db.select({ id: departments.id, code: departments.code, nameJa: departments.nameJa, nameEn: departments.nameEn }).from(departments),
  ]);
  return { people, departments: depts };
}

export const planHash = (plan: Plan) => createHash("sha256").update(canonicalPlan(plan)).digest("hex");

function count(problems: ImportProblem[]) {
  const errors = problems.filter((p) => p.severity === "error").length;
  return { errors, warnings: problems.length - errors };
}

/** Checks decoded text against the people stored (`snapshot`, or loaded from `db`: a transaction when about to apply). */
export async function analyseText(text: string, source: Db | Snapshot, actorId: string | null = null): Promise<Omit<Analysis, "encoding" | "text">> {
  const validation = validateImportText(text);
  if (validation.problems.some((p) => p.severity === "error")) {
    return { problems: validation.problems, ...count(validation.problems), plan: null, hash: null };
  }
  const snapshot = "people" in source ? source : await loadSnapshot(source);
  const { plan, problems: planProblems } = planImport(validation.rows, validation.columns, snapshot, { actorId });
  const problems = [...validation.problems, ...planProblems].sort((a, b) => a.row - b.row);
  const counts = count(problems);
  return counts.errors ? { problems, ...counts, plan: null, hash: null } : { problems, ...counts, plan, hash: planHash(plan) };
}

/** The dry run of a file as uploaded: decoding (detected or chosen), checks and plan. */
export async function analyseFile(bytes: Uint8Array, options: { encoding?: ImportEncoding; actorId?: string | null } = {}): Promise<Analysis> {
  const decoded = decodeImportFile(bytes, options.encoding);
  if (!decoded.ok) {
    const problem: ImportProblem =
      decoded.problem === "utf16"
        ? { severity: "error", row: 1, code: "utf16" }
        : { severity: "error", row: decoded.row, code: "invalidBytes", params: { encoding: decoded.encoding === "utf-8" ? "UTF-8" : "Shift_JIS (CP932)" } };
    return { encoding: null, text: null, problems: [problem], errors: 1, warnings: 0, plan: null, hash: null };
  }
  const analysis = await analyseText(decoded.text, getDb(), options.actorId ?? null);
  return { encoding: decoded.encoding, text: decoded.text, ...analysis };
}

export function summaryOf(plan: Plan): Record<string, number> {
  return {
    created: plan.created.length,
    changed: plan.changed.length,
    unchanged: plan.unchanged,
    deactivated: plan.deactivated.length,
    deactivations: plan.deactivations,
    newDepartments: plan.newDepartments.length,
  };
}

function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Writes a plan (computed from `snapshot` inside the same transaction). People missing from the file
 * are deactivated, never deleted, so their certificates and history stay.
 */
export async function applyPlan(tx: Transaction, plan: Plan, snapshot: Snapshot, onProgress?: Progress): Promise<void> {
  const total = plan.created.length + plan.changed.length + plan.deactivated.length;
  let done = 0;
  const step = (n: number) => {
    done += n;
    onProgress?.(done, total);
  };
  onProgress?.(0, total);

  const deptIdByCode = new Map(snapshot.departments.map((d) => [d.code, d.id]));
  for (const chunk of chunks(plan.newDepartments)) {
    const values = chunk.map((d) => ({ id: `d-${randomUUID()}`, code: d.code, nameJa: d.name, nameEn: d.name }));
    await tx.insert(departments).values(values);
    for (const v of values) deptIdByCode.set(v.code, v.id);
  }
  for (const r of plan.renamedDepartments) {
    await tx.update(departments).set({ nameJa: r.to, updatedAt: new Date() }).where(eq(departments.id, r.id));
  }

  const idByNumber = new Map<string, string>();
  for (const p of snapshot.people) if (p.employeeNumber !== null) idByNumber.set(p.employeeNumber, p.id);
  for (const p of plan.changed) idByNumber.set(p.employeeNumber, p.id);
  const created = plan.created.map((p) => ({ ...p, id: `u-${randomUUID()}` }));
  for (const p of created) idByNumber.set(p.employeeNumber, p.id);
  const deptId = (code: string | null) => (code === null ? null : deptIdByCode.get(code)!);
  const managerId = (number: string | null) => (number === null ? null : idByNumber.get(number)!);

  // Emails may move between people in one file: free the changing ones first (unique index).
  const emailMoves = plan.changed.filter((p) => p.changes.some((c) => c.field === "email")).map((p) => p.id);
  for (const ids of chunks(emailMoves)) {
    await tx
      .update(users)
      .set({ email: sql`${users.id} || '@org-import.invalid'` })
      .where(inArray(users.id, ids));
  }

  // New people managers first (the file has no cycles), each with their manager's id: one pass.
  for (const chunk of chunks(managersFirst(created), INSERT_BATCH)) {
    await tx.insert(users).values(
      chunk.map((p) => ({
        id: p.id,
        email: p.email,
        displayName: `${p.familyName} ${p.givenName}`,
        familyName: p.familyName,
        givenName: p.givenName,
        familyNameKana: p.familyNameKana,
        givenNameKana: p.givenNameKana,
        employeeNumber: p.employeeNumber,
        departmentId: deptId(p.departmentCode),
        managerId: managerId(p.managerEmployeeNumber),
        preferredLanguage: p.preferredLanguage,
        active: p.active,
      })),
    );
    step(chunk.length);
  }

  for (const chunk of chunks(plan.changed)) {
    const values = sql.join(
      chunk.map(
        (p) =>
          sql`(${p.id}, ${p.employeeNumber}, ${p.email}, ${p.familyName}, ${p.givenName}, ${p.familyNameKana}, ${p.givenNameKana}, ${deptId(p.departmentCode)}, ${managerId(p.managerEmployeeNumber)}, ${p.preferredLanguage}, ${String(p.active)})`,
      ),
      sql`, `,
    );
    await tx.execute(sql`
      update users set
        employee_number = v.employee_number, email = v.email,
        family_name = v.family_name, given_name = v.given_name,
        display_name = v.family_name || ' ' || v.given_name,
        family_name_kana = v.family_name_kana, given_name_kana = v.given_name_kana,
        department_id = v.department_id, manager_id = v.manager_id,
        preferred_language = v.preferred_language, active = v.active::boolean, updated_at = now()
      from (values ${values}) as v(id, employee_number, email, family_name, given_name, family_name_kana, given_name_kana, department_id, manager_id, preferred_language, active)
      where users.id = v.id`);
    step(chunk.length);
  }

  for (const chunk of chunks(plan.deactivated)) {
    await tx
      .update(users)
      .set({ active: false, updatedAt: new Date() })
      .where(
        inArray(
          users.id,
          chunk.map((p) => p.id),
        ),
      );
    step(chunk.length);
  }

  // Who may use which AI tool follows a person's status: the change feed decides them again.
  await markEntitlementsStale(tx, [
    ...plan.deactivated.map((p) => p.id),
    ...plan.changed.filter((p) => p.changes.some((c) => c.field === "active")).map((p) => p.id),
  ]);
}

/**
 * New people ordered so that a manager who is also new comes before their reports (by depth in the
 * chain; the file was checked for cycles), so each row can be inserted with its manager at once.
 */
export function managersFirst<T extends { employeeNumber: string; managerEmployeeNumber: string | null }>(people: readonly T[]): T[] {
  const byNumber = new Map(people.map((p) => [p.employeeNumber, p]));
  const depth = new Map<string, number>();
  const depthOf = (start: T): number => {
    const path: T[] = [];
    let node: T | undefined = start;
    while (node && !depth.has(node.employeeNumber)) {
      path.push(node);
      node = node.managerEmployeeNumber === null ? undefined : byNumber.get(node.managerEmployeeNumber);
    }
    let d = node ? depth.get(node.employeeNumber)! : -1;
    for (const p of path.reverse()) depth.set(p.employeeNumber, ++d);
    return depth.get(start.employeeNumber)!;
  };
  return people
    .map((p, i) => ({ p, i, d: depthOf(p) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map(({ p }) => p);
}

export type ApplyOutcome =
  | { kind: "applied"; summary: Record<string, number> }
  | { kind: "invalid"; analysis: Omit<Analysis, "encoding" | "text"> }
  | { kind: "needsConfirmation"; plan: Plan }
  | { kind: "changed" }
  | { kind: "alreadyApplied" }
  | { kind: "notFound" };

class Rollback extends Error {
  constructor(public readonly outcome: ApplyOutcome) {
    super(outcome.kind);
  }
}

async function auditImport(tx: Transaction, actorId: string | null, summary: Record<string, number>, details: Record<string, unknown>) {
  await tx.insert(auditLog).values({ actorId, action: "org.import", targetType: "organisation", details: { ...summary, ...details } });
}

/**
 * Applies decoded text in one transaction (the command line): the plan is computed again inside the
 * transaction, so it matches what is written.
 */
export async function applyText(
  text: string,
  options: { actorId?: string | null; confirmDeactivations?: boolean; via: "command-line" | "hr-page"; fileName?: string; encoding?: string; onProgress?: Progress },
): Promise<ApplyOutcome> {
  try {
    return await getDb().transaction(async (tx) => {
      const snapshot = await loadSnapshot(tx);
      const analysis = await analyseText(text, snapshot, options.actorId ?? null);
      if (!analysis.plan) throw new Rollback({ kind: "invalid", analysis });
      if (analysis.plan.needsConfirmation && !options.confirmDeactivations) throw new Rollback({ kind: "needsConfirmation", plan: analysis.plan });
      await applyPlan(tx, analysis.plan, snapshot, options.onProgress);
      const summary = summaryOf(analysis.plan);
      await auditImport(tx, options.actorId ?? null, summary, { via: options.via, fileName: options.fileName, encoding: options.encoding });
      return { kind: "applied", summary } as const;
    });
  } catch (error) {
    if (error instanceof Rollback) return error.outcome;
    throw error;
  }
}

/** Keeps an analysed upload for the Apply button; returns its id. */
export async function createPendingImport(input: {
  actorId: string;
  fileName: string;
  encoding: ImportEncoding;
  text: string;
  plan: Plan;
  hash: string;
}): Promise<string> {
  const id = `imp-${randomUUID()}`;
  const db = getDb();
  await db
    .update(orgImports)
    .set({ status: "discarded", content: null })
    .where(and(eq(orgImports.status, "pending"), lt(orgImports.createdAt, new Date(Date.now() - PENDING_LIFETIME_MS))));
  await db.insert(orgImports).values({
    id,
    createdBy: input.actorId,
    fileName: input.fileName,
    encoding: input.encoding,
    content: input.text,
    planHash: input.hash,
    summary: summaryOf(input.plan),
  });
  return id;
}

/** A pending import of this person, for the page after a reload. */
export async function pendingImport(id: string, actorId: string) {
  const [row] = await getDb()
    .select({ id: orgImports.id, fileName: orgImports.fileName, encoding: orgImports.encoding, status: orgImports.status, summary: orgImports.summary, content: orgImports.content })
    .from(orgImports)
    .where(and(eq(orgImports.id, id), eq(orgImports.createdBy, actorId)));
  return row ?? null;
}

/**
 * Applies a pending import once: the row is claimed (pending → applied) in the same transaction as
 * the changes, so a double-submitted Apply finds it applied; and only if the plan computed now is the
 * plan HR was shown (otherwise someone changed the organisation in between: show a fresh dry run).
 */
export async function applyPendingImport(input: { id: string; actorId: string; confirmDeactivations: boolean }): Promise<ApplyOutcome> {
  try {
    return await getDb().transaction(async (tx) => {
      const [claimed] = await tx
        .update(orgImports)
        .set({ status: "applied", appliedAt: new Date() })
        .where(and(eq(orgImports.id, input.id), eq(orgImports.createdBy, input.actorId), eq(orgImports.status, "pending")))
        .returning({ content: orgImports.content, planHash: orgImports.planHash, fileName: orgImports.fileName, encoding: orgImports.encoding });
      if (!claimed) {
        const existing = await pendingImportStatus(tx, input.id, input.actorId);
        throw new Rollback(existing === "applied" ? { kind: "alreadyApplied" } : { kind: "notFound" });
      }
      if (claimed.content === null) throw new Rollback({ kind: "notFound" });
      const snapshot = await loadSnapshot(tx);
      const analysis = await analyseText(claimed.content, snapshot, input.actorId);
      if (!analysis.plan) throw new Rollback({ kind: "invalid", analysis });
      if (analysis.hash !== claimed.planHash) throw new Rollback({ kind: "changed" });
      if (analysis.plan.needsConfirmation && !input.confirmDeactivations) throw new Rollback({ kind: "needsConfirmation", plan: analysis.plan });
      await applyPlan(tx, analysis.plan, snapshot);
      const summary = summaryOf(analysis.plan);
      await tx.update(orgImports).set({ content: null, summary }).where(eq(orgImports.id, input.id));
      await auditImport(tx, input.actorId, summary, { via: "hr-page", fileName: claimed.fileName, encoding: claimed.encoding, importId: input.id });
      return { kind: "applied", summary } as const;
    });
  } catch (error) {
    if (error instanceof Rollback) return error.outcome;
    throw error;
  }
}

async function pendingImportStatus(tx: Transaction, id: string, actorId: string): Promise<string | null> {
  const where: SQL | undefined = and(eq(orgImports.id, id), eq(orgImports.createdBy, actorId));
  const [row] = await tx.select({ status: orgImports.status }).from(orgImports).where(where);
  return row?.status ?? null;
}
