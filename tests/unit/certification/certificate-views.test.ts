import { describe, expect, it } from "vitest";
import {
  asciiFileName,
  attachmentDisposition,
  certificateFileName,
  parsePassDate,
  recertificationInvitations,
  verificationView,
} from "~/certification/certificate-views";

const at = (iso: string) => new Date(iso);
// Valid through 30 Nov 2027 (Tokyo); with a 60-day window, invitations open at 00:00 JST on 2 Oct 2027.
const END = at("2027-11-30T14:59:59.999Z");
const windows = new Map([["safe", 60]]);

describe("recertification invitations", () => {
  const cert = (id: string, validUntil: Date, revokedAt: Date | null = null, trackId = "safe") => ({ id, trackId, validUntil, revokedAt });

  it("invite from the first day of the window to the last day of validity, not before or after", () => {
    const c = cert("a", END);
    expect(recertificationInvitations([c], windows, at("2027-10-01T14:59:59.999Z"))).toEqual([]);
    expect(recertificationInvitations([c], windows, at("2027-10-01T15:00:00.000Z"))).toEqual([c]);
    expect(recertificationInvitations([c], windows, END)).toEqual([c]);
    expect(recertificationInvitations([c], windows, at("2027-11-30T15:00:00.000Z"))).toEqual([]);
  });

  it("do not invite again once an early recertification extended validity", () => {
    const old = cert("old", END);
    const renewed = cert("new", at("2028-11-30T14:59:59.999Z"));
    expect(recertificationInvitations([old, renewed], windows, at("2027-11-01T00:00:00Z"))).toEqual([]);
  });

  it("ignore revoked certificates and tracks that are no longer published", () => {
    const now = at("2027-11-01T00:00:00Z");
    expect(recertificationInvitations([cert("r", END, at("2027-10-20T00:00:00Z"))], windows, now)).toEqual([]);
    expect(recertificationInvitations([cert("x", END, null, "retired-track")], windows, now)).toEqual([]);
  });

  it("fall back to an older certificate of the track when the newest was revoked", () => {
    const kept = cert("kept", END);
    const revoked = cert("revoked", at("2028-11-30T14:59:59.999Z"), at("2027-10-20T00:00:00Z"));
    expect(recertificationInvitations([kept, revoked], windows, at("2027-11-01T00:00:00Z"))).toEqual([kept]);
  });
});

describe("the verification view", () => {
  const record = {
    id: "secret-id",
    number: "MNB-2026-000123",
    email: "hanako@example.co.jp",
    holder: {
      id: "u1",
      email: "hanako@example.co.jp",
      familyName: "髙橋",
      givenName: "花子",
      familyNameKana: "たかはし",
      givenNameKana: "はなこ",
      familyNameLatin: "Takahashi",
      givenNameLatin: "Hanako",
      displayName: "髙橋 花子",
    },
    trackTitle: { en: "AI Safe Use", ja: "AI安全利用 基礎" },
    passedAt: at("2026-11-30T01:00:00Z"),
    validUntil: END,
    revokedAt: null as Date | null,
    revokedReason: null as string | null,
  };

  it("holds only the name, the track, the status and the dates", () => {
    const view = verificationView(record, at("2027-01-01T00:00:00Z"));
    expect(view).toEqual({
      // The name only (as written, its reading, its romanised form): no email, no id.
      holder: { familyName: "髙橋", givenName: "花子", familyNameKana: "たかはし", givenNameKana: "はなこ", familyNameLatin: "Takahashi", givenNameLatin: "Hanako" },
      trackTitle: { en: "AI Safe Use", ja: "AI安全利用 基礎" },
      status: "valid",
      passedAt: "2026-11-30T01:00:00.000Z",
      validUntil: END.toISOString(),
      revokedAt: null,
    });
  });

  it("says expired after the last valid moment and revoked (with its date, without the reason) once revoked", () => {
    expect(verificationView(record, at("2027-11-30T15:00:00Z")).status).toBe("expired");
    const revoked = { ...record, revokedAt: at("2027-02-01T00:00:00Z"), revokedReason: "不正" };
    const view = verificationView(revoked, at("2027-03-01T00:00:00Z"));
    expect(view).toMatchObject({ status: "revoked", revokedAt: "2027-02-01T00:00:00.000Z" });
    expect(JSON.stringify(view)).not.toContain("不正");
  });
});

describe("download names", () => {
  it("give an ASCII fallback and the exact UTF-8 name (RFC 5987) when the name is not plain ASCII", () => {
    const name = certificateFileName("MNB-2026-000123", "AI安全利用 基礎", "pdf");
    expect(name).toBe("MNB-2026-000123_AI安全利用 基礎.pdf");
    expect(attachmentDisposition(name)).toBe(
      "attachment; filename=\"MNB-2026-000123_AI.pdf\"; filename*=UTF-8''MNB-2026-000123_AI%E5%AE%89%E5%85%A8%E5%88%A9%E7%94%A8%20%E5%9F%BA%E7%A4%8E.pdf",
    );
    expect(attachmentDisposition("MNB-2026-000123_AI.pdf")).toBe('attachment; filename="MNB-2026-000123_AI.pdf"');
  });

  it("never let a quote, a slash or a line break into the header", () => {
    const name = certificateFileName("MNB-2026-000001", 'Bad "track"/\r\nX-Injected: 1', "jwt");
    const header = attachmentDisposition(name);
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.match(/"/g)).toHaveLength(2);
    expect(header).toContain("filename*=UTF-8''");
    expect(asciiFileName("Café (ü).pdf")).toBe("Cafe_u.pdf");
  });
});

describe("pass dates typed by HR", () => {
  const now = at("2026-12-01T00:00:00Z"); // 09:00 JST on 1 Dec 2026
  it("are days on the Tokyo calendar", () => {
    expect(parsePassDate("2026-01-31", now)).toEqual({ ok: true, passedAt: at("2026-01-30T15:00:00.000Z") });
    expect(parsePassDate("2026-12-01", now)).toEqual({ ok: true, passedAt: at("2026-11-30T15:00:00.000Z") });
  });
  it("refuse days that do not exist, the future and the distant past", () => {
    expect(parsePassDate("2026-02-30", now)).toEqual({ ok: false, problem: "invalid" });
    expect(parsePassDate("2026-13-01", now)).toEqual({ ok: false, problem: "invalid" });
    expect(parsePassDate("31/01/2026", now)).toEqual({ ok: false, problem: "invalid" });
    expect(parsePassDate("2026-12-02", now)).toEqual({ ok: false, problem: "future" });
    expect(parsePassDate("1999-12-31", now)).toEqual({ ok: false, problem: "tooOld" });
  });
});
