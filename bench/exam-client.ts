// What one simulated exam candidate does over HTTP (bench/exam.ts): its cookie jar, a request, and the
// autosave loop — shared by the bench's main thread (the exam start and the submits) and the save
// threads (bench/exam-saver.ts), which split the candidates between them so that one event loop does
// not carry 5,000 clients.
import { performance } from "node:perf_hooks";
import { request, type Agent } from "undici";

/** The cookies one browser holds (name → value), from Set-Cookie answers. */
export class CookieJar {
  private cookies = new Map<string, string>();
  constructor(initial: Record<string, string>) {
    for (const [k, v] of Object.entries(initial)) this.cookies.set(k, v);
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  entries(): Record<string, string> {
    return Object.fromEntries(this.cookies);
  }
  store(setCookie: string | string[] | undefined) {
    for (const line of typeof setCookie === "string" ? [setCookie] : (setCookie ?? [])) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      if (eq < 1) continue;
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === "" || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export type Failure = { phase: "prep" | "save" | "submit"; kind: string; at: number };

/** Per position: the last acknowledged answer, and answers sent after it without an acknowledgement. */
export type PositionState = { lastAck: string | null; unacknowledged: Set<string> };

/** What the save loop needs of a candidate, and what it records for the checks. */
export type SavingCandidate = {
  index: number;
  jar: CookieJar;
  csrf: string;
  attemptId: string;
  /** The answers each position may take (option ids in the attempt's order, or true/false). */
  choices: string[][];
  positions: Map<number, PositionState>;
  acked: { position: number; answer: string }[];
};

/** What the saves of one thread recorded. */
export type SaveRecord = {
  failures: Failure[];
  latencies: number[];
  /** Each acknowledged save: when it was sent (ms since the save phase began) and how long it took. */
  samples: { sentAt: number; ms: number }[];
  /** Acknowledged and failed saves per second of the save phase (index: second). */
  ackTimeline: number[];
  failTimeline: number[];
  retried: number;
};

export const newSaveRecord = (): SaveRecord => ({ failures: [], latencies: [], samples: [], ackTimeline: [], failTimeline: [], retried: 0 });

export type Client = { agent: Agent; base: string };
export type Reply = { status: number; headers: Record<string, string | string[] | undefined>; text: string; ms: number };

export async function send(client: Client, c: { jar: CookieJar }, method: "GET" | "POST", urlPath: string, form?: URLSearchParams): Promise<Reply> {
  const started = performance.now();
  const res = await request(`${client.base}${urlPath}`, {
    dispatcher: client.agent,
    method,
    headers: {
      cookie: c.jar.header(),
      "accept-language": "ja",
      accept: method === "GET" ? "text/html" : "application/json, text/html",
      ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    body: form?.toString(),
  });
  const text = await res.body.text();
  const ms = performance.now() - started;
  c.jar.store(res.headers["set-cookie"]);
  return { status: res.statusCode, headers: res.headers, text, ms };
}

export function failureKind(error: unknown): string {
  const e = error as { code?: string; name?: string; message?: string };
  return `network: ${e.code ?? e.name ?? "error"}`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export const RETRY_DELAY_MS = 500;
export const MAX_TRIES = 20;

function positionState(c: SavingCandidate, position: number) {
  let s = c.positions.get(position);
  if (!s) c.positions.set(position, (s = { lastAck: null, unacknowledged: new Set() }));
  return s;
}

export type SavePlan = { client: Client; record: SaveRecord; saveStartedAt: number; saveEveryMs: number };

/** One autosave as the page sends it, retried until acknowledged (or the save phase is long over). */
async function save(plan: SavePlan, c: SavingCandidate, k: number, giveUpAt: number): Promise<void> {
  const { record } = plan;
  const position = k % c.choices.length;
  const options = c.choices[position]!;
  const answer = options[(c.index + k * 7) % options.length]!;
  const state = positionState(c, position);
  state.unacknowledged.add(answer);
  const form = new URLSearchParams({ csrf: c.csrf, position: String(position), at: String(position), setAnswer: "1", answer });
  for (let tries = 1; tries <= MAX_TRIES && Date.now() < giveUpAt; tries++) {
    if (tries > 1) record.retried++;
    const second = Math.floor((Date.now() - plan.saveStartedAt) / 1000);
    try {
      const reply = await send(plan.client, c, "POST", `/exams/${c.attemptId}/answer`, form);
      if (reply.status === 200 && reply.text.includes('"saved"')) {
        record.latencies.push(reply.ms);
        record.samples.push({ sentAt: Date.now() - reply.ms - plan.saveStartedAt, ms: reply.ms });
        state.lastAck = answer;
        state.unacknowledged.clear();
        c.acked.push({ position, answer });
        record.ackTimeline[second] = (record.ackTimeline[second] ?? 0) + 1;
        return;
      }
      record.failures.push({ phase: "save", kind: `HTTP ${reply.status}`, at: Date.now() });
      record.failTimeline[second] = (record.failTimeline[second] ?? 0) + 1;
      // A refusal the page would not retry (signed out, closed, invalid): stop.
      if (reply.status >= 400 && reply.status < 500) return;
    } catch (error) {
      record.failures.push({ phase: "save", kind: failureKind(error), at: Date.now() });
      record.failTimeline[second] = (record.failTimeline[second] ?? 0) + 1;
    }
    await sleep(RETRY_DELAY_MS);
  }
}

/** A candidate's saves: one every saveEveryMs from a random offset, until endsAt. */
export async function savePhase(plan: SavePlan, c: SavingCandidate, endsAt: number) {
  const offset = Math.random() * plan.saveEveryMs;
  for (let k = 0; ; k++) {
    const at = plan.saveStartedAt + offset + k * plan.saveEveryMs;
    if (at >= endsAt) return;
    await sleep(at - Date.now());
    await save(plan, c, k, endsAt + 15_000);
  }
}

/**
 * The excess event-loop delay of a histogram sampled every `resolutionMs`: Node records the whole
 * interval between samples, so an idle loop reads `resolutionMs`; this is what came on top.
 */
export function loopDelayExcess(h: { percentile(p: number): number; max: number }, resolutionMs: number) {
  const excess = (ns: number) => Math.max(0, ns / 1e6 - resolutionMs);
  return { p50: excess(h.percentile(50)), p99: excess(h.percentile(99)), max: excess(h.max) };
}
