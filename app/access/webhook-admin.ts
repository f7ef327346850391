import { z } from "zod";
import { checkWebhookUrl } from "./webhook-url";

/**
 * The admin page for webhooks, pure (no database, no framework, browser-safe): the form that adds a
 * webhook, the deliveries filter read from the query string, and the states the page shows.
 */

export const MAX_WEBHOOK_URL_CHARS = 2000;
export const MAX_WEBHOOK_DESCRIPTION_CHARS = 100;

const URL_ERROR_KEYS = {
  invalid: "webhooks.errors.urlInvalid",
  scheme: "webhooks.errors.urlScheme",
  credentials: "webhooks.errors.urlCredentials",
} as const;

/** The locale key saying why an address is refused. */
export function webhookUrlErrorKey(reason: keyof typeof URL_ERROR_KEYS): string {
  return URL_ERROR_KEYS[reason];
}

/** A new webhook as the admin form gives it: an http(s) address and what it is for. */
export const newWebhookSchema = z.object({
  url: z
    .string({ required_error: "webhooks.errors.urlRequired" })
    .trim()
    .min(1, "webhooks.errors.urlRequired")
    .max(MAX_WEBHOOK_URL_CHARS, "webhooks.errors.urlTooLong")
    .superRefine((value, ctx) => {
      if (!value || value.length > MAX_WEBHOOK_URL_CHARS) return; // already said: missing or too long
      const checked = checkWebhookUrl(value);
      if (!checked.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: webhookUrlErrorKey(checked.reason) });
    }),
  description: z
    .string({ required_error: "webhooks.errors.descriptionRequired" })
    .trim()
    .min(1, "webhooks.errors.descriptionRequired")
    .max(MAX_WEBHOOK_DESCRIPTION_CHARS, "webhooks.errors.descriptionTooLong"),
});
export type NewWebhook = z.infer<typeof newWebhookSchema>;

/** Which deliveries the table lists: all, not yet delivered, failed at least once and waiting to be retried, delivered. */
export const DELIVERY_FILTERS = ["all", "pending", "retrying", "delivered"] as const;
export type DeliveryFilterState = (typeof DELIVERY_FILTERS)[number];
export const DELIVERIES_PAGE_SIZE = 50;
const MAX_PAGE = 10_000;

export type DeliveryFilter = { webhook: string | null; state: DeliveryFilterState; page: number };

/** The deliveries filter of a query string; anything unknown falls back to the default, never an error. */
export function parseDeliveryFilter(params: URLSearchParams): DeliveryFilter {
  const webhook = params.get("webhook")?.trim() ?? "";
  const state = params.get("state") ?? "";
  const page = Number(params.get("page") ?? "1");
  return {
    webhook: webhook && webhook.length <= 100 ? webhook : null,
    state: (DELIVERY_FILTERS as readonly string[]).includes(state) ? (state as DeliveryFilterState) : "all",
    page: Number.isInteger(page) && page >= 1 && page <= MAX_PAGE ? page : 1,
  };
}

/** The query string of a deliveries filter (defaults left out), for links to other pages of it. */
export function deliveryFilterSearch(filter: DeliveryFilter): string {
  const params = new URLSearchParams();
  if (filter.webhook) params.set("webhook", filter.webhook);
  if (filter.state !== "all") params.set("state", filter.state);
  if (filter.page > 1) params.set("page", String(filter.page));
  const query = params.toString();
  return query ? `?${query}` : "";
}

/**
 * What a delivery's row says: delivered; queued (not tried yet); retrying (failed, waits for its next try);
 * stopped (never to be sent: its webhook is disabled).
 */
export type DeliveryStatus = "delivered" | "queued" | "retrying" | "stopped";

export function deliveryStatus(delivery: { state: "pending" | "delivered"; attempts: number }, webhookDisabled: boolean): DeliveryStatus {
  if (delivery.state === "delivered") return "delivered";
  if (webhookDisabled) return "stopped";
  return delivery.attempts > 0 ? "retrying" : "queued";
}

/** A webhook's state in the list: disabled, failing (its oldest waiting delivery has failed), or active. */
export type WebhookHealth = "active" | "failing" | "disabled";

export function webhookHealth(webhook: { disabledAt: string | null; failing: unknown }): WebhookHealth {
  if (webhook.disabledAt) return "disabled";
  return webhook.failing ? "failing" : "active";
}
