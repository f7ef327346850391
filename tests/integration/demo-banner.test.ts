import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { users } from "#db/schema";
import { demoAccountsPresent, forgetDemoAccountsCheck } from "~/org/demo-data.server";
import * as root from "~/root";
import { createUser, get } from "../helpers/factories";

async function rootData(request: Request) {
  const response = (await root.loader({ request, params: {}, context: { requestId: "t", nonce: "n", clientIp: "127.0.0.1" } })) as unknown as {
    data: { demo: boolean };
  };
  return response.data;
}

describe("the demo-data banner", () => {
  it("shows on every page while a demo account can sign in, and goes when none can", async () => {
    forgetDemoAccountsCheck();
    expect(await demoAccountsPresent()).toBe(false);
    expect((await rootData(await get("/"))).demo).toBe(false);

    const demo = await createUser({ email: "learner@example.com" });
    forgetDemoAccountsCheck();
    expect(await demoAccountsPresent()).toBe(true);
    expect((await rootData(await get("/"))).demo).toBe(true);
    expect((await rootData(await get("/learn", demo.id))).demo).toBe(true);

    // Deactivated (or without a password): no longer a public way in.
    await getDb().update(users).set({ active: false }).where(eq(users.id, demo.id));
    forgetDemoAccountsCheck();
    expect((await rootData(await get("/"))).demo).toBe(false);
  });
});
