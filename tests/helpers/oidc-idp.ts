import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/**
 * A real OpenID provider (oidc-provider) on a local port, for tests: no internet, no browser needed.
 * Its login step signs in whoever the test named with `signInAs` (or refuses, after `denyNext`), with
 * no form; consent is granted automatically, as a company's IdP does for its own applications.
 * PKCE is required, as Manabi always sends it.
 */
export type IdpAccount = {
  sub: string;
  email?: string;
  email_verified?: boolean;
  employee_number?: string;
  name?: string;
};

export type TestIdp = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  signInAs(account: IdpAccount): void;
  /** The next login is refused with access_denied (the person declined). */
  denyNext(): void;
  /** Every authorization request the provider received (to check PKCE, state, nonce). */
  authorizationRequests: URL[];
  close(): Promise<void>;
};

export async function startTestIdp(options: { redirectUris: string[]; postLogoutRedirectUris?: string[] }): Promise<TestIdp> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = "manabi";
  const clientSecret = "manabi-test-secret-0123456789abcdef";
  const accounts = new Map<string, IdpAccount>();
  let current: IdpAccount | null = null;
  let deny = false;
  const authorizationRequests: URL[] = [];

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "employee_number"],
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true },
    },
    pkce: { required: () => true },
    cookies: { keys: ["manabi-test-idp-cookie-key-0123456789"] },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ ...account }) };
    },
    // A company's IdP does not ask its staff to consent to its own applications.
    async loadExistingGrant(ctx) {
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId,
      });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });
  provider.on("server_error", (_ctx, error) => console.error("test IdP:", error));
  const callback = provider.callback();

  server.on("request", async (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    if (url.pathname === "/auth") authorizationRequests.push(url);
    const match = /^\/interaction\/([^/]+)$/.exec(url.pathname);
    if (!match) return callback(req, res);
    try {
      await provider.interactionDetails(req, res);
      if (deny || !current) {
        deny = false;
        await provider.interactionFinished(
          req,
          res,
          { error: "access_denied", error_description: "The person declined." },
          { mergeWithLastSubmission: false }
        );
        return;
      }
      accounts.set(current.sub, current);
      await provider.interactionFinished(req, res, { login: { accountId: current.sub } }, { mergeWithLastSubmission: false });
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(account) {
      current = account;
      accounts.set(account.sub, account);
    },
    denyNext() {
      deny = true;
    },
    authorizationRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A tiny cookie jar for driving the provider over HTTP with manual redirects. */
export class CookieJar {
  private cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const index = pair!.indexOf("=");
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/**
 * Follows the provider's redirects from an authorization URL until it sends the browser back to the
 * application (a URL not on the provider); returns that URL.
 */
export async function followProvider(idp: TestIdp, authorizationUrl: string, jar = new CookieJar()): Promise<URL> {
  let next = new URL(authorizationUrl);
  for (let hop = 0; hop < 10; hop++) {
    if (next.origin !== new URL(idp.issuer).origin) return next;
    const response = await fetch(next, {
      redirect: "manual",
      headers: { Cookie: jar.header() },
    });
    jar.take(response);
    const location = response.headers.get("Location");
    if (!location)
      throw new Error(`The provider answered ${response.status} at ${next.pathname}: ${(await response.text()).slice(0, 500)}`);
    next = new URL(location, next);
  }
  throw new Error("The provider redirected too often");
}
