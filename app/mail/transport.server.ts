import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import { env } from "~/env.server";

/**
 * How mail leaves Manabi: SMTP when configured (SMTP_URL or SMTP_HOST…), otherwise as .eml files under
 * MAIL_DIR (default `.data/mail/`), one per message, named by its Message-ID. Both build the message
 * with nodemailer from what the outbox stored, with the stored Message-ID and date, so a message sent
 * again after a crash is the same message: the file transport overwrites the same file; SMTP receivers
 * see the same Message-ID (many de-duplicate by it; SMTP itself cannot promise exactly once).
 */

export type OutgoingMail = {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  date: Date;
  language: "ja" | "en";
};

export type MailTransport = { kind: "file" | "smtp"; send(mail: OutgoingMail): Promise<void> };

function message(mail: OutgoingMail, from: string) {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: `<${mail.messageId}>`,
    date: mail.date,
    headers: { "Content-Language": mail.language, "Auto-Submitted": "auto-generated" },
  };
}

/** The .eml file a message is written to (the Message-ID is `<uuid>@<domain>`, safe as a file name). */
export function emlPath(dir: string, messageId: string): string {
  return path.join(dir, `${messageId.replace(/[^A-Za-z0-9@._-]/g, "_")}.eml`);
}

export function fileTransport(dir: string, from = env().MAIL_FROM): MailTransport {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    kind: "file",
    async send(mail) {
      const info = await builder.sendMail(message(mail, from));
      await fs.mkdir(dir, { recursive: true });
      const target = emlPath(dir, mail.messageId);
      // Written whole or not at all: a crash mid-write leaves no half file, and a re-send replaces it.
      const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
      await fs.writeFile(temp, info.message as Buffer);
      await fs.rename(temp, target);
    },
  };
}

export function smtpTransport(): MailTransport {
  const config = env();
  const transporter = config.SMTP_URL
    ? nodemailer.createTransport(config.SMTP_URL)
    : nodemailer.createTransport({
        host: config.SMTP_HOST,
        port: config.SMTP_PORT ?? (config.SMTP_SECURE === "1" ? 465 : 587),
        secure: config.SMTP_SECURE === "1",
        auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASS ?? "" } : undefined,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      });
  return {
    kind: "smtp",
    async send(mail) {
      await transporter.sendMail(message(mail, config.MAIL_FROM));
    },
  };
}

let configured: MailTransport | null = null;

/** The transport the environment asks for (SMTP if configured, else files in MAIL_DIR). */
export function configuredTransport(): MailTransport {
  const config = env();
  configured ??= config.SMTP_URL || config.SMTP_HOST ? smtpTransport() : fileTransport(config.mailDir);
  return configured;
}

/** The domain part of MAIL_FROM, for Message-IDs. */
export function mailDomain(): string {
  const from = env().MAIL_FROM;
  const address = from.match(/<([^>]+)>/)?.[1] ?? from;
  return address.split("@")[1]?.replace(/[^A-Za-z0-9.-]/g, "") || "manabi.local";
}
