import http from "node:http";

/** Plain-HTTP clients for end-to-end probes of the server, without a browser. */

export type Language = "ja" | "en";
const ACCEPT_LANGUAGE: Record<Language, string> = { ja: "ja-JP,ja;q=0.9", en: "en-US,en;q=0.9" };
export const ACCEPT_HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/** A visitor with a cookie jar, the way a browser keeps cookies between requests. */
export class Visitor {
  cookies = new Map<string, string>();
  constructor(
    readonly base: string,
    readonly language: Language = "ja",
  ) {}

  get cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async fetch(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
    const res = await fetch(`${this.base}${path}`, {
      redirect: "manual",
      ...init,
      headers: { "Accept-Language": ACCEPT_LANGUAGE[this.language], Cookie: this.cookieHeader, ...init.headers },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (!value || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Opens a page and returns the CSRF token its forms carry. */
  async csrfToken(path = "/login"): Promise<string> {
    const html = await (await this.fetch(path, { headers: { Accept: ACCEPT_HTML } })).text();
    const input = /<input[^>]*name="csrf"[^>]*>/.exec(html)?.[0];
    const token = input && /value="([^"]*)"/.exec(input)?.[1];
    if (!token) throw new Error(`No CSRF field on ${path}`);
    return token;
  }

  /** A same-site form post, as a browser sends it. */
  async postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return this.fetch(path, {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { Origin: this.base, Accept: ACCEPT_HTML, ...headers },
    });
  }

  async signIn(email: string, password: string, redirectTo?: string) {
    const csrf = await this.csrfToken();
    return this.postForm("/login", { csrf, email, password, ...(redirectTo ? { redirectTo } : {}) });
  }
}

/** A raw HTTP request (fetch refuses to send TRACE). */
export function rawRequest(base: string, method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}
