import { afterAll, describe, expect, it } from "vitest";
import { followProvider, startTestIdp } from "../helpers/oidc-idp";

// Companies whose IdP carries the employee number link people by it (OIDC_CLAIM); read once per process.
const idp = await startTestIdp({ redirectUris: ["http://localhost/auth/sso/callback"] });
Object.assign(process.env, {
  OIDC_ISSUER: idp.issuer,
  OIDC_CLIENT_ID: idp.clientId,
  OIDC_CLIENT_SECRET: idp.clientSecret,
  OIDC_CLAIM: "employee_number",
});

const { eq } = await import("drizzle-orm");
const { getDb } = await import("#db/client.server");
const { ssoIdentities } = await import("#db/schema");
const { getSession } = await import("~/auth/session.server");
const ssoStart = await import("~/routes/auth.sso");
const ssoCallback = await import("~/routes/auth.sso_.callback");
const { createUser, settle } = await import("../helpers/factories");

afterAll(() => idp.close());

const args = (request: Request) => ({ request, params: {}, context: {} });
const unique = () => Math.random().toString(36).slice(2, 10);

async function signInAs(account: { sub: string; email?: string; employee_number?: string }) {
  idp.signInAs(account);
  const started = (await settle(() => ssoStart.loader(args(new Request("http://localhost/auth/sso?redirectTo=/"))))).value as Response;
  const back = await followProvider(idp, started.headers.get("Location")!);
  const cookie = started.headers.get("Set-Cookie")!.split(";")[0]!;
  const done = await settle(() => ssoCallback.loader(args(new Request(back.href, { headers: { Cookie: cookie } }))));
  if (!done.thrown) return { userId: null, failure: (done.value as { data: { reason: string } }).data.reason };
  const session = (done.value as Response).headers.getSetCookie().find((c) => c.startsWith("manabi_session="))!;
  const { user } = await getSession(new Request("http://localhost/", { headers: { Cookie: session.split(";")[0]! } }));
  return { userId: user?.id ?? null, failure: null };
}

describe("single sign-on linked by employee number (OIDC_CLAIM=employee_number)", () => {
  it("finds the person by the employee number claim, not by email, and stores the subject", async () => {
    const number = `E${unique()}`;
    const person = await createUser({ employeeNumber: number, email: `emp-${unique()}@example.com` });
    const sub = `sub-${unique()}`;
    // The IdP's email differs from Manabi's: only the employee number matters here.
    const outcome = await signInAs({ sub, employee_number: number, email: "someone-else@example.com" });
    expect(outcome).toEqual({ userId: person.id, failure: null });
    const links = await getDb().select().from(ssoIdentities).where(eq(ssoIdentities.userId, person.id));
    expect(links.map((l) => l.subject)).toEqual([sub]);
  });

  it("does not match by email when the configured claim is the employee number", async () => {
    const person = await createUser({ employeeNumber: `E${unique()}`, email: `byemail-${unique()}@example.com` });
    const outcome = await signInAs({ sub: `sub-${unique()}`, employee_number: `E${unique()}`, email: person.email });
    expect(outcome.failure).toBe("unknownPerson");
  });
});
