import { describe, expect, it } from "vitest";
import { deliveryFilterSearch, deliveryStatus, newWebhookSchema, parseDeliveryFilter, webhookHealth } from "~/access/webhook-admin";
import { checkWebhookUrl } from "~/access/webhook-url";

const errorsOf = (input: Record<string, unknown>) => {
  const parsed = newWebhookSchema.safeParse(input);
  return parsed.success ? {} : parsed.error.flatten().fieldErrors;
};

describe("the new-webhook form", () => {
  it("takes an http(s) address and a description, trimmed", () => {
    expect(newWebhookSchema.parse({ url: " https://gw.example.co.jp/hooks ", description: " LLM gateway " })).toEqual({
      url: "https://gw.example.co.jp/hooks",
      description: "LLM gateway",
    });
    expect(newWebhookSchema.safeParse({ url: "http://10.0.0.5:8080/in", description: "Internal" }).success).toBe(true);
  });

  it("says what is wrong with an address", () => {
    expect(errorsOf({ url: "ftp://example.com/x", description: "d" })).toEqual({ url: ["webhooks.errors.urlScheme"] });
    expect(errorsOf({ url: "javascript:alert(1)", description: "d" })).toEqual({ url: ["webhooks.errors.urlScheme"] });
    expect(errorsOf({ url: "https://u:p@example.com/x", description: "d" })).toEqual({ url: ["webhooks.errors.urlCredentials"] });
    expect(errorsOf({ url: "https://u@example.com/x", description: "d" })).toEqual({ url: ["webhooks.errors.urlCredentials"] });
    expect(errorsOf({ url: "example.com/x", description: "d" })).toEqual({ url: ["webhooks.errors.urlInvalid"] });
    expect(errorsOf({ url: "https://exa mple.com/", description: "d" })).toEqual({ url: ["webhooks.errors.urlInvalid"] });
    expect(errorsOf({ url: `https://example.com/${"a".repeat(2000)}`, description: "d" })).toEqual({ url: ["webhooks.errors.urlTooLong"] });
    expect(errorsOf({ description: "d" })).toEqual({ url: ["webhooks.errors.urlRequired"] });
    expect(errorsOf({ url: "   ", description: "d" })).toEqual({ url: ["webhooks.errors.urlRequired"] });
  });

  it("needs a description of at most 100 characters", () => {
    expect(errorsOf({ url: "https://example.com/" })).toEqual({ description: ["webhooks.errors.descriptionRequired"] });
    expect(errorsOf({ url: "https://example.com/", description: "  " })).toEqual({ description: ["webhooks.errors.descriptionRequired"] });
    expect(errorsOf({ url: "https://example.com/", description: "x".repeat(101) })).toEqual({ description: ["webhooks.errors.descriptionTooLong"] });
    expect(errorsOf({ url: "https://example.com/", description: "x".repeat(100) })).toEqual({});
  });

  it("agrees with the check the server stores by (fragment dropped)", () => {
    expect(checkWebhookUrl("https://example.com/in#part")).toEqual({ ok: true, url: "https://example.com/in" });
  });
});

describe("the deliveries filter", () => {
  it("reads webhook, state and page, falling back to defaults for anything else", () => {
    expect(parseDeliveryFilter(new URLSearchParams(""))).toEqual({ webhook: null, state: "all", page: 1 });
    expect(parseDeliveryFilter(new URLSearchParams("webhook=wh1&state=retrying&page=3"))).toEqual({ webhook: "wh1", state: "retrying", page: 3 });
    expect(parseDeliveryFilter(new URLSearchParams("state=failed&page=0"))).toEqual({ webhook: null, state: "all", page: 1 });
    expect(parseDeliveryFilter(new URLSearchParams("page=1.5&webhook=%20"))).toEqual({ webhook: null, state: "all", page: 1 });
    expect(parseDeliveryFilter(new URLSearchParams(`page=99999&webhook=${"w".repeat(101)}`))).toEqual({ webhook: null, state: "all", page: 1 });
  });

  it("writes back only what differs from the defaults", () => {
    expect(deliveryFilterSearch({ webhook: null, state: "all", page: 1 })).toBe("");
    expect(deliveryFilterSearch({ webhook: "wh 1", state: "delivered", page: 2 })).toBe("?webhook=wh+1&state=delivered&page=2");
    const round = { webhook: "abc", state: "pending" as const, page: 4 };
    expect(parseDeliveryFilter(new URLSearchParams(deliveryFilterSearch(round)))).toEqual(round);
  });
});

describe("states shown", () => {
  it("tells delivered, waiting, retrying and stopped deliveries apart", () => {
    expect(deliveryStatus({ state: "delivered", attempts: 3 }, true)).toBe("delivered");
    expect(deliveryStatus({ state: "pending", attempts: 0 }, false)).toBe("queued");
    expect(deliveryStatus({ state: "pending", attempts: 2 }, false)).toBe("retrying");
    expect(deliveryStatus({ state: "pending", attempts: 2 }, true)).toBe("stopped");
  });

  it("shows a webhook as disabled before failing", () => {
    expect(webhookHealth({ disabledAt: null, failing: null })).toBe("active");
    expect(webhookHealth({ disabledAt: null, failing: { attempts: 1 } })).toBe("failing");
    expect(webhookHealth({ disabledAt: "2026-11-30T00:00:00.000Z", failing: { attempts: 1 } })).toBe("disabled");
  });
});
