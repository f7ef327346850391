// A save thread of `npm run bench -- exam` (started through bench/exam-saver-boot.mjs): its share of the
// candidates save every BENCH_SAVE_EVERY seconds until the save phase ends, through its own undici pool;
// it reports progress every second and, at the end, what each candidate had acknowledged, the latencies,
// the failures and its own event-loop delay.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import { Agent } from "undici";
import { CookieJar, loopDelayExcess, newSaveRecord, savePhase, type SavePlan, type SavingCandidate } from "./exam-client";

export type SaverInput = {
  entry: string;
  base: string;
  connections: number;
  saveStartedAt: number;
  saveEndsAt: number;
  saveEveryMs: number;
  candidates: { index: number; cookies: Record<string, string>; csrf: string; attemptId: string; choices: string[][] }[];
};

export type SaverOutput = {
  kind: "done";
  candidates: { index: number; cookies: Record<string, string>; positions: [number, string | null, string[]][]; acked: { position: number; answer: string }[] }[];
  record: ReturnType<typeof newSaveRecord>;
  loopDelayMs: { p50: number; p99: number; max: number };
};

export type SaverProgress = { kind: "progress"; acknowledged: number; failed: number };

const input = workerData as SaverInput;
const LOOP_RESOLUTION_MS = 10;

const agent = new Agent({ connections: input.connections, keepAliveTimeout: 30_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
const plan: SavePlan = { client: { agent, base: input.base }, record: newSaveRecord(), saveStartedAt: input.saveStartedAt, saveEveryMs: input.saveEveryMs };
const candidates: SavingCandidate[] = input.candidates.map((c) => ({ ...c, jar: new CookieJar(c.cookies), positions: new Map(), acked: [] }));

const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
loopDelay.enable();
const ticker = setInterval(() => {
  parentPort!.postMessage({ kind: "progress", acknowledged: plan.record.latencies.length, failed: plan.record.failures.length } satisfies SaverProgress);
}, 1000);
await Promise.all(candidates.map((c) => savePhase(plan, c, input.saveEndsAt)));
clearInterval(ticker);
loopDelay.disable();
await agent.close();
parentPort!.postMessage({
  kind: "done",
  candidates: candidates.map((c) => ({
    index: c.index,
    cookies: c.jar.entries(),
    positions: [...c.positions].map(([p, s]) => [p, s.lastAck, [...s.unacknowledged]]),
    acked: c.acked,
  })),
  record: plan.record,
  loopDelayMs: loopDelayExcess(loopDelay, LOOP_RESOLUTION_MS),
} satisfies SaverOutput);
