import { describe, expect, it } from "vitest";
import { invitationExpiry, invitationState, inviteeStatus } from "~/auth/invitation-rules";
import { assignmentDedupeKey, certificateDedupeKey, invitationDedupeKey, isReminderKind, MAIL_KINDS } from "~/mail/kinds";
import { reminderDue } from "~/mail/reminder-rules";
import { renderMail, TEMPLATE_KINDS, type MailData } from "~/mail/templates";
import { invitationResendAllowedAt, REMINDER_DAILY_LIMIT, reminderAllowedAt, retryDelaySeconds } from "~/mail/throttle";

const HOUR = 3_600_000;
const now = new Date("2027-03-10T03:00:00Z");

describe("reminder throttle", () => {
  it("lets a reminder go while the person had fewer than the daily limit in the last 24 hours", () => {
    const sent = Array.from({ length: REMINDER_DAILY_LIMIT - 1 }, (_, i) => new Date(now.getTime() - (i + 1) * HOUR));
    expect(reminderAllowedAt(sent, now)).toEqual(now);
  });

  it("holds one over the limit until the oldest counted reminder is 24 hours old", () => {
    const sent = [1, 2, 3].map((h) => new Date(now.getTime() - h * HOUR));
    expect(reminderAllowedAt(sent, now)).toEqual(new Date(now.getTime() - 3 * HOUR + 24 * HOUR));
  });

  it("does not count reminders older than 24 hours", () => {
    const sent = [25, 30, 48].map((h) => new Date(now.getTime() - h * HOUR));
    expect(reminderAllowedAt(sent, now)).toEqual(now);
  });

  it("does not resend an invitation within 10 minutes, then does", () => {
    expect(invitationResendAllowedAt(null, now)).toBeNull();
    expect(invitationResendAllowedAt(new Date(now.getTime() - 5 * 60_000), now)).toEqual(new Date(now.getTime() + 5 * 60_000));
    expect(invitationResendAllowedAt(new Date(now.getTime() - 10 * 60_000), now)).toBeNull();
  });

  it("backs off failed sends from 30 seconds, doubling, to at most an hour", () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([30, 60, 120, 240]);
    expect(retryDelaySeconds(20)).toBe(3600);
  });
});

describe("dedupe keys", () => {
  it("name a certificate reminder by kind, certificate and end date, so a renewed end date is reminded again", () => {
    const a = certificateDedupeKey("cert-expiring", "c1", new Date("2027-03-31T14:59:59.999Z"));
    expect(a).toBe("cert-expiring:c1:2027-03-31T14:59:59.999Z");
    expect(certificateDedupeKey("cert-expiring", "c1", new Date("2028-03-31T14:59:59.999Z"))).not.toBe(a);
    expect(certificateDedupeKey("recert-open", "c1", new Date("2027-03-31T14:59:59.999Z"))).not.toBe(a);
  });

  it("name an assignment reminder by person, track and due day, and an invitation by its id", () => {
    expect(assignmentDedupeKey("assignment-overdue", "u1", "t1", "2027-03-09")).toBe("assignment-overdue:u1:t1:2027-03-09");
    expect(invitationDedupeKey("i1")).toBe("invitation:i1");
  });

  it("count every kind but invitations as a reminder", () => {
    expect(MAIL_KINDS.filter(isReminderKind)).toEqual(["cert-expiring", "recert-open", "assignment-due-soon", "assignment-overdue"]);
  });
});

describe("assignment reminders", () => {
  const a = (dueOn: string, status: "certified" | "in-progress" | "not-started" | "overdue" = "in-progress") => ({ userId: "u", trackId: "t", dueOn, status });
  it("are due soon from 7 Tokyo days before the due day through the day itself", () => {
    expect(reminderDue(a("2027-03-17"), now)).toBe("assignment-due-soon");
    expect(reminderDue(a("2027-03-18"), now)).toBeNull();
    expect(reminderDue(a("2027-03-10"), now)).toBe("assignment-due-soon");
  });
  it("are overdue from the day after, counted in Tokyo (23:30 JST on the due day is not late yet)", () => {
    expect(reminderDue(a("2027-03-09", "overdue"), now)).toBe("assignment-overdue");
    expect(reminderDue(a("2027-03-10"), new Date("2027-03-10T14:30:00Z"))).toBe("assignment-due-soon");
    expect(reminderDue(a("2027-03-10"), new Date("2027-03-10T15:00:00Z"))).toBe("assignment-overdue");
  });
  it("are never sent for a certified person", () => {
    expect(reminderDue(a("2027-03-09", "certified"), now)).toBeNull();
    expect(reminderDue(a("2027-03-12", "certified"), now)).toBeNull();
  });
});

describe("invitation links", () => {
  it("are valid for 7 days and once", () => {
    const expiresAt = invitationExpiry(now);
    expect(expiresAt.getTime() - now.getTime()).toBe(7 * 24 * HOUR);
    expect(invitationState({ expiresAt, usedAt: null }, now)).toBe("valid");
    expect(invitationState({ expiresAt, usedAt: null }, expiresAt)).toBe("expired");
    expect(invitationState({ expiresAt, usedAt: now }, now)).toBe("used");
    expect(inviteeStatus(null, now)).toBe("not-invited");
    expect(inviteeStatus({ expiresAt, usedAt: null }, now)).toBe("invited");
    expect(inviteeStatus({ expiresAt: now, usedAt: null }, now)).toBe("expired");
  });
});

describe("mail templates", () => {
  const person = { familyName: "山田", givenName: "花子", familyNameKana: "やまだ", givenNameKana: "はなこ", familyNameLatin: "Yamada", givenNameLatin: "Hanako" };
  const trackTitle = { ja: "AI安全利用 基礎", en: "AI Safe Use" };
  const link = "https://manabi.example.com/tracks/t-safe";
  const samples: MailData[] = TEMPLATE_KINDS.map((kind) =>
    kind === "invitation"
      ? { kind, person, link: "https://manabi.example.com/invite/abc", expiresAt: now }
      : kind === "cert-expiring" || kind === "recert-open"
        ? { kind, person, trackTitle, validUntil: now, link }
        : kind === "manager-reminder"
          ? { kind, person, manager: { familyName: "佐藤", givenName: "健" }, trackTitle, dueOn: "2027-03-17", overdue: false, link }
          : { kind: kind as "assignment-due-soon" | "assignment-overdue", person, trackTitle, dueOn: "2027-03-17", link },
  );

  it("exist for every kind in both languages, with the link, in the person's language", () => {
    expect(new Set(TEMPLATE_KINDS)).toEqual(new Set(MAIL_KINDS));
    for (const data of samples) {
      const ja = renderMail(data, "ja");
      const en = renderMail(data, "en");
      expect(ja.subject, data.kind).toMatch(/^【Manabi】/);
      expect(ja.text, data.kind).toMatch(/^山田 花子 様\n/);
      expect(en.text, data.kind).toMatch(/^Dear Hanako Yamada,\n/);
      expect(en.subject, data.kind).toMatch(/^Manabi: /);
      for (const mail of [ja, en]) {
        expect(mail.text, data.kind).toContain(data.link);
        expect(mail.html, data.kind).toContain(`href="${data.link}"`);
      }
      expect(ja.text, data.kind).not.toMatch(/[\u3040-\u30ff\u4e00-\u9fff][,.]/);
      expect(en.text, data.kind).not.toMatch(/[\u3040-\u309f]/);
    }
  });

  it("write dates the Japanese way in Japanese and name the track in each language", () => {
    const invitation = renderMail(samples.find((s) => s.kind === "invitation")!, "ja").text;
    expect(invitation).toContain("このリンクは2027年3月10日 12:00まで有効");
    expect(invitation).toContain("パスワードを設定する：\n");
    const due = renderMail(samples.find((s) => s.kind === "assignment-due-soon")!, "ja");
    expect(due.subject).toBe("【Manabi】「AI安全利用 基礎」の期限が近づいています（2027年3月17日まで）");
    expect(renderMail(samples.find((s) => s.kind === "assignment-due-soon")!, "en").subject).toBe('Manabi: "AI Safe Use" is due on 17 March 2027');
  });

  it("escape what they put into HTML", () => {
    const html = renderMail({ kind: "cert-expiring", person: { familyName: "<b>", givenName: "x" }, trackTitle: { ja: "<script>", en: "<script>" }, validUntil: now, link }, "en").html;
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });
});
