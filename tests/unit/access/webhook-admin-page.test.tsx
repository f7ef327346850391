import { createRemixStub } from "@remix-run/testing";
import { createInstance } from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { Outlet } from "@remix-run/react";
import { describe, expect, it } from "vitest";
import { i18nConfig } from "~/i18n/config";
import AdminWebhooks from "~/routes/admin.webhooks";

// The page as the loader's answer renders it: a failing, a healthy and a disabled webhook and their deliveries.
const creator = { familyName: "伊藤", givenName: "翔", familyNameKana: "いとう", givenNameKana: "しょう", familyNameLatin: "Ito", givenNameLatin: "Sho" };
const hook = (over: Record<string, unknown>) => ({
  url: "https://gw.example.co.jp/hooks/manabi",
  createdAt: "2026-11-20T01:00:00.000Z",
  createdBy: "sho.ito@example.com",
  creator,
  disabledAt: null,
  pending: 0,
  delivered: 0,
  lastDeliveredAt: null,
  failing: null,
  ...over,
});
const data = {
  webhooks: [
    hook({
      id: "wh-fail",
      description: "LLM gateway",
      pending: 2,
      delivered: 1234,
      lastDeliveredAt: "2026-11-29T03:00:00.000Z",
      failing: { attempts: 3, lastStatus: 503, lastError: "HTTP 503", nextAttemptAt: "2026-11-30T05:41:00.000Z" },
    }),
    hook({ id: "wh-down", description: "Access portal", url: "https://portal.example.co.jp/in", failing: { attempts: 1, lastStatus: null, lastError: "connect ECONNREFUSED 10.0.0.5:443", nextAttemptAt: "2026-11-30T05:00:10.000Z" }, pending: 1 }),
    hook({ id: "wh-off", description: "Old receiver", disabledAt: "2026-11-25T00:00:00.000Z", creator: null, createdBy: null, pending: 1 }),
  ],
  deliveries: [
    { id: 3, webhookId: "wh-fail", url: "https://gw.example.co.jp/hooks/manabi", description: "LLM gateway", webhookDisabled: false, eventSeq: 42, kind: "expiring-soon", toolId: "chat", occurredAt: "2026-11-30T05:00:00.000Z", state: "pending", attempts: 3, lastStatus: 503, lastError: "HTTP 503", nextAttemptAt: "2026-11-30T05:41:00.000Z", deliveredAt: null },
    { id: 2, webhookId: "wh-off", url: "https://old.example.co.jp/", description: "Old receiver", webhookDisabled: true, eventSeq: 41, kind: "granted", toolId: "gone-tool", occurredAt: "2026-11-24T05:00:00.000Z", state: "pending", attempts: 0, lastStatus: null, lastError: null, nextAttemptAt: "2026-11-24T05:00:00.000Z", deliveredAt: null },
    { id: 1, webhookId: "wh-fail", url: "https://gw.example.co.jp/hooks/manabi", description: "LLM gateway", webhookDisabled: false, eventSeq: 40, kind: "granted", toolId: "chat", occurredAt: "2026-11-29T02:59:00.000Z", state: "delivered", attempts: 1, lastStatus: 204, lastError: null, nextAttemptAt: "2026-11-29T02:59:00.000Z", deliveredAt: "2026-11-29T03:00:00.000Z" },
  ],
  hasNext: true,
  filter: { webhook: null, state: "all", page: 2 },
  toolNames: { chat: { en: "Chat assistant", ja: "チャットアシスタント" } },
  disable: null,
};

async function render(language: "ja" | "en", path = "/admin/webhooks?page=2") {
  const i18n = createInstance();
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng: language });
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      loader: () => ({ language }),
      Component: () => <Outlet />,
      children: [{ id: "webhooks", path: "admin/webhooks", loader: () => data, Component: AdminWebhooks }],
    },
  ]);
  const html = renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <Stub initialEntries={[path]} hydrationData={{ loaderData: { root: { language }, webhooks: data } }} />
    </I18nextProvider>,
  );
  const text = html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/\s+/g, " ");
  /** The text of the table row holding `marker` (a data attribute). */
  const row = (marker: string) => {
    const at = html.indexOf(marker);
    return html.slice(html.lastIndexOf("<tr", at), html.indexOf("</tr>", at)).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
  };
  return { html, text, row };
}

describe("the webhooks admin page", () => {
  it("says what webhooks receive, in both languages", async () => {
    expect((await render("en")).text).toContain("the same events as GET /api/v1/events");
    expect((await render("ja")).text).toContain("GET /api/v1/eventsと同じイベント");
  });

  it("shows a failing webhook's tries, last answer and next try in the viewer's language and time zone", async () => {
    const en = (await render("en")).row('data-webhook="wh-fail"');
    expect(en).toContain("Failing");
    expect(en).toContain("Tried 3 times");
    expect(en).toContain("Last answer: HTTP 503");
    expect(en).toContain("Next try 30 Nov 2026, 14:41 JST");
    expect(en).toContain("2 waiting");
    expect(en).toContain("1234 delivered");
    expect(en).toContain("Last delivered 29 Nov 2026, 12:00 JST");
    expect(en).toContain("Sho Ito");
    const ja = (await render("ja")).row('data-webhook="wh-fail"');
    expect(ja).toContain("配信エラー");
    expect(ja).toContain("3回試行");
    expect(ja).toContain("最後の応答：HTTP 503");
    expect(ja).toContain("次回の再送 2026/11/30 14:41");
    expect(ja).toContain("伊藤 翔");
  });

  it("shows a network error when there was no answer, and a disabled webhook without actions", async () => {
    const { row } = await render("en");
    expect(row('data-webhook="wh-down"')).toContain("Tried 1 time ");
    expect(row('data-webhook="wh-down"')).toContain("Last error: connect ECONNREFUSED 10.0.0.5:443");
    const off = row('data-webhook="wh-off"');
    expect(off).toContain("Disabled 25 Nov 2026, 09:00 JST");
    expect(off).toContain("Unknown");
    expect(off).toContain("1 not sent (disabled)");
    expect(off).not.toContain("waiting");
    expect(off).not.toContain("Send test");
    expect(off).not.toContain("Disable ");
    expect(row('data-webhook="wh-fail"')).toContain("Send test");
  });

  it("lists deliveries with event, tool, state, tries and when, and pages both ways", async () => {
    const en = await render("en");
    const retrying = en.row('data-delivery="42"');
    expect(retrying).toMatch(/42 Expiring soon 30 Nov 2026, 14:00 JST Chat assistant chat LLM gateway .* Retrying 3 HTTP 503 Next try 30 Nov 2026, 14:41 JST/);
    expect(en.row('data-delivery="41"')).toMatch(/Granted .* gone-tool .* Not sent \(webhook disabled\) 0 — — $/);
    expect(en.row('data-delivery="40"')).toMatch(/Delivered 1 HTTP 204 29 Nov 2026, 12:00 JST $/);
    expect(en.text).toContain("← Newer");
    expect(en.text).toContain("Older →");
    expect(en.html).toContain('href="/admin/webhooks?page=3#deliveries-heading"');
    expect(en.html).toContain('href="/admin/webhooks#deliveries-heading"');
    const ja = await render("ja");
    expect(ja.row('data-delivery="42"')).toMatch(/まもなく期限切れ .* チャットアシスタント .* 再送待ち 3 HTTP 503 次回 2026\/11\/30 14:41/);
    expect(ja.row('data-delivery="41"')).toContain("送信停止（Webhook無効）");
  });

  it("asks before disabling when the page is opened with ?disable=", async () => {
    const withConfirm = { ...data, disable: data.webhooks[0] };
    const i18n = createInstance();
    await i18n.use(initReactI18next).init({ ...i18nConfig, lng: "en" });
    const Stub = createRemixStub([
      { id: "root", path: "/", loader: () => ({ language: "en" }), Component: () => <Outlet />, children: [{ id: "webhooks", path: "admin/webhooks", loader: () => withConfirm, Component: AdminWebhooks }] },
    ]);
    const html = renderToStaticMarkup(
      <I18nextProvider i18n={i18n}>
        <Stub initialEntries={["/admin/webhooks?disable=wh-fail"]} hydrationData={{ loaderData: { root: { language: "en" }, webhooks: withConfirm } }} />
      </I18nextProvider>,
    );
    expect(html).toContain('data-testid="disable-confirmation"');
    expect(html).toContain("Disable webhook “LLM gateway”?");
    expect(html).toMatch(/<input type="hidden" name="intent" value="disable"\/><input type="hidden" name="webhookId" value="wh-fail"\/>/);
  });
});
