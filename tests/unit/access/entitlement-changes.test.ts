import { describe, expect, it } from "vitest";
import { decideAccess, type CertificateInput } from "~/access/decision";
import { entitlementChange, withdrawnToolChange, type StoredEntitlement } from "~/access/entitlement-changes";
import { recertificationOpensAt } from "~/certification/validity";

const DAY = 86_400_000;
const now = new Date("2026-11-30T09:00:00Z");
const release = (number: number) => ({ number, tracks: new Map([["safe", { recertificationWindowDays: 60 }], ["prac", { recertificationWindowDays: 90 }]]) });
const cert = (id: string, validUntil: Date, revokedAt: Date | null = null): CertificateInput => ({ id, number: `MNB-${id}`, validUntil, revokedAt });
const chat = { id: "chat", requiredTracks: ["safe"] };

function decide(certs: Record<string, CertificateInput[]>, opts: { active?: boolean; tool?: typeof chat; release?: number; at?: Date } = {}) {
  return decideAccess({
    person: { active: opts.active ?? true },
    tool: opts.tool ?? chat,
    certificatesByTrack: new Map(Object.entries(certs)),
    release: release(opts.release ?? 1),
    now: opts.at ?? now,
  });
}

const allowedState = (validUntil: Date, extra: Partial<StoredEntitlement> = {}): StoredEntitlement => ({
  allowed: true,
  validUntil,
  expiringFrom: new Date(validUntil.getTime() - 60 * DAY),
  expiringNoticeFor: null,
  release: 1,
  requiredTracks: ["safe"],
  ...extra,
});

describe("entitlement changes", () => {
  it("says nothing for a first decision that refuses, and remembers the refusal", () => {
    const change = entitlementChange(null, decide({}), chat, now);
    expect(change.events).toEqual([]);
    expect(change.state).toMatchObject({ allowed: false, validUntil: null, release: 1, requiredTracks: ["safe"] });
  });

  it("grants on the first decision that allows, naming the certificate and the end of access", () => {
    const end = new Date(now.getTime() + 300 * DAY);
    const change = entitlementChange(null, decide({ safe: [cert("a", end)] }), chat, now);
    expect(change.events).toHaveLength(1);
    expect(change.events[0]).toMatchObject({ kind: "granted", allowed: true, validUntil: end, occurredAt: now, details: { cause: "certified" } });
    expect(change.events[0]!.details.certificates).toEqual([{ trackId: "safe", certificateId: "a", number: "MNB-a", validUntil: end.toISOString() }]);
    expect(change.state).toMatchObject({ allowed: true, validUntil: end, expiringFrom: recertificationOpensAt(end, 60), expiringNoticeFor: null });
  });

  it("says nothing when nothing changed", () => {
    const end = new Date(now.getTime() + 300 * DAY);
    expect(entitlementChange(allowedState(end), decide({ safe: [cert("a", end)] }), chat, now).events).toEqual([]);
    expect(entitlementChange({ ...allowedState(end), allowed: false, validUntil: null }, decide({}), chat, now).events).toEqual([]);
  });

  it("reports a renewal as a grant with the new end and the old one", () => {
    const old = new Date(now.getTime() + 30 * DAY);
    const renewed = new Date(old.getTime() + 365 * DAY);
    const change = entitlementChange(allowedState(old, { expiringNoticeFor: old }), decide({ safe: [cert("a", old), cert("b", renewed)] }), chat, now);
    expect(change.events.map((e) => e.kind)).toEqual(["granted"]);
    expect(change.events[0]!.details).toMatchObject({ cause: "renewed", previousValidUntil: old.toISOString() });
    expect(change.state.expiringNoticeFor).toBeNull();
  });

  it("announces expiring-soon once per end date, when the recertification window opens", () => {
    const end = new Date(now.getTime() + 59 * DAY);
    const first = entitlementChange(allowedState(end), decide({ safe: [cert("a", end)] }), chat, now);
    expect(first.events.map((e) => e.kind)).toEqual(["expiring-soon"]);
    expect(first.state.expiringNoticeFor).toEqual(end);
    expect(entitlementChange(first.state, decide({ safe: [cert("a", end)] }), chat, now).events).toEqual([]);
    // One day before the window: nothing yet.
    const later = new Date(now.getTime() + 61 * DAY);
    expect(entitlementChange(allowedState(later), decide({ safe: [cert("a", later)] }), chat, now).events).toEqual([]);
  });

  it("grants and announces expiring-soon together for a certificate recorded inside its window", () => {
    const end = new Date(now.getTime() + 10 * DAY);
    expect(entitlementChange(null, decide({ safe: [cert("a", end)] }), chat, now).events.map((e) => e.kind)).toEqual(["granted", "expiring-soon"]);
  });

  it("reports an expiry at the moment the certificate ran out, even when noticed later", () => {
    const end = new Date(now.getTime() - 3 * DAY);
    const change = entitlementChange(allowedState(end), decide({ safe: [cert("a", end)] }), chat, now);
    expect(change.events).toHaveLength(1);
    expect(change.events[0]).toMatchObject({ kind: "expired", allowed: false, validUntil: null, occurredAt: end });
    expect(change.events[0]!.details.missing).toEqual([{ trackId: "safe", reason: "certificate-expired" }]);
    expect(change.state).toMatchObject({ allowed: false, validUntil: null, expiringFrom: null });
  });

  it("reports a revocation, and an inactive person as revoked", () => {
    const end = new Date(now.getTime() + 100 * DAY);
    const revoked = entitlementChange(allowedState(end), decide({ safe: [cert("a", end, new Date(now.getTime() - 1000))] }), chat, now);
    expect(revoked.events.map((e) => [e.kind, e.details.cause])).toEqual([["revoked", "certificate-revoked"]]);
    const inactive = entitlementChange(allowedState(end), decide({ safe: [cert("a", end)] }, { active: false }), chat, now);
    expect(inactive.events.map((e) => [e.kind, e.details.cause])).toEqual([["revoked", "inactive"]]);
  });

  it("reports a requirement raised by a release as requirement-changed, with both lists", () => {
    const end = new Date(now.getTime() + 100 * DAY);
    const raised = { id: "chat", requiredTracks: ["safe", "prac"] };
    const change = entitlementChange(allowedState(end), decide({ safe: [cert("a", end)] }, { tool: raised, release: 2 }), raised, now);
    expect(change.events).toHaveLength(1);
    expect(change.events[0]).toMatchObject({ kind: "requirement-changed", allowed: false, details: { cause: "requirements-raised", requiredTracks: ["safe", "prac"], previousRequiredTracks: ["safe"] } });
    expect(change.state).toMatchObject({ release: 2, requiredTracks: ["safe", "prac"] });
  });

  it("grants when a release lowers the requirement, saying so", () => {
    const end = new Date(now.getTime() + 100 * DAY);
    const before: StoredEntitlement = { allowed: false, validUntil: null, expiringFrom: null, expiringNoticeFor: null, release: 1, requiredTracks: ["safe", "prac"] };
    const change = entitlementChange(before, decide({ safe: [cert("a", end)] }, { release: 2 }), chat, now);
    expect(change.events.map((e) => [e.kind, e.details.cause])).toEqual([["granted", "requirements-lowered"]]);
  });

  it("reports a withdrawn tool once, as requirement-changed", () => {
    const end = new Date(now.getTime() + 100 * DAY);
    const change = withdrawnToolChange(allowedState(end), 3, now);
    expect(change.events.map((e) => [e.kind, e.details.cause])).toEqual([["requirement-changed", "tool-withdrawn"]]);
    expect(withdrawnToolChange(change.state, 3, now).events).toEqual([]);
  });
});
