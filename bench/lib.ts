// Process helpers shared by the benchmarks (bench/run.ts, bench/access.ts).
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `node <cmd>` and waits until `ready(url)` answers true; throws with its output otherwise. */
export async function start(cmd: string[], env: Record<string, string>, ready: (url: string) => Promise<boolean>, url: string) {
  const child = spawn(process.execPath, cmd, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${cmd.join(" ")} exited:\n${log}`);
    if (await ready(url).catch(() => false)) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${cmd.join(" ")} did not start:\n${log}`);
}

export async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
}

/** Prints rows as a table: the first column left-aligned, the others right-aligned. */
export function printTable(rows: string[][]) {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "));
}

/** The cookies a response sets, as a Cookie header. */
export function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** Signs a demo person in through the real form (CSRF token and all); returns their Cookie header. */
export async function signIn(base: string, email: string, password = "manabi-demo"): Promise<string> {
  const page = await fetch(`${base}/login`);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error("no CSRF token on the sign-in page");
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(page) },
    body: new URLSearchParams({ csrf, email, password, redirectTo: "/" }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("manabi_session="));
  if (!session) throw new Error(`sign-in failed for ${email} (${res.status})`);
  return `${session.split(";")[0]}; ${cookiesOf(page)}`;
}
