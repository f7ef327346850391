import { startOfTokyoDay } from "~/certification/validity";
import { formatDate, formatDateTime, formatPersonName, formatTime, type PersonName } from "~/i18n/format";
import type { Language } from "~/i18n/languages";
import { MAIL_KINDS, type MailKind } from "./kinds";

/**
 * The text of every mail, in both languages, rendered when a mail is enqueued (the outbox stores the
 * result, so a later edit here never changes a mail already waiting). Pure: no database, no i18next,
 * so the HR preview, the worker and the tests render exactly the same text.
 *
 * Japanese mails address the person family name first with 様, as a company's own system mail does;
 * English ones with the name as formatPersonName writes it in English.
 */

type Localized = { en: string; ja: string };

export type MailData =
  | { kind: "invitation"; person: PersonName; link: string; expiresAt: Date }
  | { kind: "cert-expiring" | "recert-open"; person: PersonName; trackTitle: Localized; validUntil: Date; link: string }
  | { kind: "assignment-due-soon" | "assignment-overdue"; person: PersonName; trackTitle: Localized; dueOn: string; link: string }
  | { kind: "manager-reminder"; person: PersonName; manager: PersonName; trackTitle: Localized; dueOn: string; overdue: boolean; link: string };

export type RenderedMail = { subject: string; text: string; html: string };

/** A due day (YYYY-MM-DD on the Tokyo calendar) as a date to format. */
function dueDay(dueOn: string): Date {
  const [year, month, day] = dueOn.split("-").map(Number);
  return startOfTokyoDay({ year: year!, month: month!, day: day! });
}

type Parts = { subject: string; greeting: string; paragraphs: string[]; action: string; link: string; notes: string[] };

const SIGNATURE: Localized = { ja: "Manabi（AIリテラシー学習）", en: "Manabi (AI literacy learning)" };
const AUTOMATIC: Localized = {
  ja: "このメールは Manabi から自動で送信しています。返信いただいても対応できません。",
  en: "This email was sent automatically by Manabi; replies are not read.",
};

function parts(data: MailData, lang: Language): Parts {
  const name = formatPersonName(data.person, lang);
  const greeting = lang === "ja" ? `${name} 様` : `Dear ${name},`;
  switch (data.kind) {
    case "invitation": {
      // Japanese writes the day as 2026年12月7日 (not 2026/12/07), then the time.
      const expires = lang === "ja" ? `${formatDate(data.expiresAt, "ja")} ${formatTime(data.expiresAt, "ja")}` : formatDateTime(data.expiresAt, "en");
      return lang === "ja"
        ? {
            subject: "【Manabi】パスワードを設定して学習を始めてください",
            greeting,
            paragraphs: [
              "社内のAIリテラシー学習サイト「Manabi」に、あなたのアカウントを用意しました。",
              "下のリンクからパスワードを設定すると、そのままサインインして学習を始められます。",
            ],
            action: "パスワードを設定する",
            link: data.link,
            notes: [
              `このリンクは${expires}まで有効で、一度だけ使えます。期限が切れたときは、リンク先のページから新しいリンクを受け取れます。`,
              "お心当たりがない場合は、このメールを破棄してください。",
            ],
          }
        : {
            subject: "Manabi: set your password to start learning",
            greeting,
            paragraphs: [
              "An account has been created for you on Manabi, the company's AI literacy learning site.",
              "Set a password with the link below; you are then signed in and can start learning.",
            ],
            action: "Set your password",
            link: data.link,
            notes: [
              `The link can be used once and is valid until ${expires}. If it has expired, the page it opens lets you ask for a new one.`,
              "If you were not expecting this email, please ignore it.",
            ],
          };
    }
    case "cert-expiring": {
      const track = data.trackTitle[lang];
      const date = formatDate(data.validUntil, lang);
      return lang === "ja"
        ? {
            subject: `【Manabi】認定「${track}」の有効期限が近づいています（${date}まで）`,
            greeting,
            paragraphs: [
              `認定「${track}」の有効期限は${date}です。期限を過ぎると、この認定が必要なAIツールを利用できなくなります。`,
              "期限までに再認定試験を受けてください。",
            ],
            action: "再認定試験を確認する",
            link: data.link,
            notes: [],
          }
        : {
            subject: `Manabi: your "${track}" certification expires on ${date}`,
            greeting,
            paragraphs: [
              `Your "${track}" certification is valid until ${date}. After that, AI tools that require it will no longer be available to you.`,
              "Please take the recertification exam before it expires.",
            ],
            action: "See the recertification exam",
            link: data.link,
            notes: [],
          };
    }
    case "recert-open": {
      const track = data.trackTitle[lang];
      const date = formatDate(data.validUntil, lang);
      return lang === "ja"
        ? {
            subject: `【Manabi】「${track}」の再認定を受けられるようになりました`,
            greeting,
            paragraphs: [
              `認定「${track}」（有効期限：${date}）の再認定期間が始まりました。今から再認定試験を受けられます。`,
              "期限内に合格すると、新しい有効期限は現在の期限から数えます。早めに受けても損はありません。",
            ],
            action: "再認定試験を確認する",
            link: data.link,
            notes: [],
          }
        : {
            subject: `Manabi: you can now recertify for "${track}"`,
            greeting,
            paragraphs: [
              `The recertification period for your "${track}" certification (valid until ${date}) has opened: you can take the exam now.`,
              "If you pass before it expires, the new validity counts from the current end date, so taking it early loses nothing.",
            ],
            action: "See the recertification exam",
            link: data.link,
            notes: [],
          };
    }
    case "assignment-due-soon": {
      const track = data.trackTitle[lang];
      const date = formatDate(dueDay(data.dueOn), lang);
      return lang === "ja"
        ? {
            subject: `【Manabi】「${track}」の期限が近づいています（${date}まで）`,
            greeting,
            paragraphs: [`あなたに割り当てられた「${track}」の期限は${date}です。`, "期限までに学習を終え、認定を取得してください。"],
            action: "学習を続ける",
            link: data.link,
            notes: [],
          }
        : {
            subject: `Manabi: "${track}" is due on ${date}`,
            greeting,
            paragraphs: [`"${track}", assigned to you, is due on ${date}.`, "Please finish the courses and get certified by then."],
            action: "Continue learning",
            link: data.link,
            notes: [],
          };
    }
    case "assignment-overdue": {
      const track = data.trackTitle[lang];
      const date = formatDate(dueDay(data.dueOn), lang);
      return lang === "ja"
        ? {
            subject: `【Manabi】「${track}」の期限を過ぎています`,
            greeting,
            paragraphs: [
              `あなたに割り当てられた「${track}」の期限（${date}）を過ぎましたが、まだ認定を取得していません。`,
              "できるだけ早く学習を終え、認定を取得してください。",
            ],
            action: "学習を続ける",
            link: data.link,
            notes: [],
          }
        : {
            subject: `Manabi: "${track}" is overdue`,
            greeting,
            paragraphs: [`"${track}", assigned to you, was due on ${date} and you are not certified yet.`, "Please finish it as soon as you can."],
            action: "Continue learning",
            link: data.link,
            notes: [],
          };
    }
    case "manager-reminder": {
      const track = data.trackTitle[lang];
      const date = formatDate(dueDay(data.dueOn), lang);
      const manager = formatPersonName(data.manager, lang);
      if (lang === "ja") {
        return {
          subject: data.overdue ? `【Manabi】${manager}さんより：「${track}」の期限を過ぎています` : `【Manabi】${manager}さんより：「${track}」の期限は${date}です`,
          greeting,
          paragraphs: [
            `${manager}さんから、あなたに割り当てられた「${track}」についてリマインドが届きました。`,
            data.overdue
              ? `期限（${date}）を過ぎていますが、まだ認定を取得していません。できるだけ早く学習を終え、認定を取得してください。`
              : `期限は${date}です。期限までに学習を終え、認定を取得してください。`,
          ],
          action: "学習を続ける",
          link: data.link,
          notes: [],
        };
      }
      return {
        subject: data.overdue ? `Manabi: ${manager} reminds you that "${track}" is overdue` : `Manabi: ${manager} reminds you that "${track}" is due on ${date}`,
        greeting,
        paragraphs: [
          `${manager} sent you a reminder about "${track}", which is assigned to you.`,
          data.overdue
            ? `It was due on ${date} and you are not certified yet. Please finish it as soon as you can.`
            : `It is due on ${date}. Please finish the courses and get certified by then.`,
        ],
        action: "Continue learning",
        link: data.link,
        notes: [],
      };
    }
  }
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** The mail in one language: subject, plain text and a simple HTML alternative with the same words. */
export function renderMail(data: MailData, lang: Language): RenderedMail {
  const p = parts(data, lang);
  const text = [p.greeting, "", ...p.paragraphs, "", `${p.action}${lang === "ja" ? "：" : ":"}`, p.link, "", ...p.notes.flatMap((n) => [n, ""]), "--", SIGNATURE[lang], AUTOMATIC[lang], ""].join("\n");
  const para = (s: string) => `<p style="margin:0 0 1em">${escapeHtml(s)}</p>`;
  const html = [
    "<!doctype html>",
    `<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(p.subject)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.7;color:#0f172a;max-width:40em">',
    para(p.greeting),
    ...p.paragraphs.map(para),
    `<p style="margin:1.5em 0"><a href="${escapeHtml(p.link)}" style="display:inline-block;background:#4338ca;color:#fff;padding:.6em 1.2em;border-radius:.4em;text-decoration:none">${escapeHtml(p.action)}</a></p>`,
    `<p style="margin:0 0 1em;font-size:.9em;word-break:break-all">${escapeHtml(p.link)}</p>`,
    ...p.notes.map(para),
    `<hr><p style="font-size:.85em;color:#475569">${escapeHtml(SIGNATURE[lang])}<br>${escapeHtml(AUTOMATIC[lang])}</p>`,
    "</body></html>",
  ].join("\n");
  return { subject: p.subject, text, html };
}

/** Every kind, for the HR preview and the tests. */
export const TEMPLATE_KINDS: readonly MailKind[] = MAIL_KINDS;
