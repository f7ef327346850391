import { describe, expect, it } from "vitest";
import { auditFilterSearch, auditKindOf, auditTimeRange, parseAuditFilter } from "~/org/audit-filter";

const parse = (query: string) => parseAuditFilter(new URLSearchParams(query));

describe("the audit log filter", () => {
  it("reads kind, person, days and page", () => {
    expect(parse("kind=roles&person=%20sato%20&from=2026-11-01&to=2026-11-30&page=3")).toEqual({
      filter: { kind: "roles", person: "sato", from: "2026-11-01", to: "2026-11-30", page: 3 },
      errors: {},
    });
  });

  it("shows everything, first page, when nothing is chosen", () => {
    expect(parse("")).toEqual({ filter: { kind: null, person: null, from: null, to: null, page: 1 }, errors: {} });
  });

  it("drops an unknown kind and a page that is not a positive whole number", () => {
    for (const page of ["0", "-2", "1.5", "abc"]) expect(parse(`kind=owner&page=${page}`).filter).toMatchObject({ kind: null, page: 1 });
  });

  it("says which day is unusable instead of failing", () => {
    expect(parse("from=2026-02-30&to=yesterday")).toEqual({
      filter: { kind: null, person: null, from: null, to: null, page: 1 },
      errors: { from: "admin.auditLog.filter.invalidDate", to: "admin.auditLog.filter.invalidDate" },
    });
    expect(parse("from=2026-11-30&to=2026-11-01")).toMatchObject({
      filter: { from: "2026-11-30", to: null },
      errors: { to: "admin.auditLog.filter.dateOrder" },
    });
  });

  it("covers whole days in Japan time, the last day included", () => {
    const { since, before } = auditTimeRange({ from: "2026-11-01", to: "2026-11-30" });
    expect(since?.toISOString()).toBe("2026-10-31T15:00:00.000Z");
    expect(before?.toISOString()).toBe("2026-11-30T15:00:00.000Z");
    expect(auditTimeRange({ from: null, to: null })).toEqual({ since: null, before: null });
  });

  it("keeps the filter on the pager's links", () => {
    const { filter } = parse("kind=tokens&person=emily&from=2026-11-01&page=2");
    expect(auditFilterSearch(filter, 3)).toBe("?kind=tokens&person=emily&from=2026-11-01&page=3");
    expect(auditFilterSearch(filter, 1)).toBe("?kind=tokens&person=emily&from=2026-11-01");
    expect(auditFilterSearch(parse("").filter, 1)).toBe("");
  });

  it("sorts every recorded action into its kind, exports included", () => {
    expect(auditKindOf("content.publish")).toBe("publish");
    expect(auditKindOf("role.remove")).toBe("roles");
    expect(auditKindOf("token.revoke")).toBe("tokens");
    expect(auditKindOf("export.completion-csv")).toBe("exports");
    expect(auditKindOf("certificate.record-external")).toBe("certificates");
    expect(auditKindOf("webhook.disable")).toBe("tokens");
    expect(auditKindOf("org.import")).toBe("accounts");
    expect(auditKindOf("export.people")).toBe("exports");
    expect(auditKindOf("something.else")).toBeNull();
  });
});
