// A steady request rate, as a gateway's traffic arrives: one request every 1000/rate ms, whatever the
// answers take (an open loop). autocannon's `overallRate` is not that: each connection sends as fast as
// it can until its share of the second is used, then waits for the next second, so "1,000 requests/s"
// is a burst at full load in the first part of each second — its p99 is the full-load p99.
//
// Latency is measured from the moment a request is handed to the connection pool (a request waiting
// for a free connection counts), to the last byte of the answer. How late the generator itself sent
// (its timer and event loop on a shared machine) is reported apart, as `sendLag`.
import { performance } from "node:perf_hooks";
import { Pool } from "undici";

export type PacedResult = {
  rate: number;
  requestsPerSecond: number;
  total: number;
  latencyP50: number;
  latencyP90: number;
  latencyP99: number;
  latencyMax: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** How many ms after its planned time each request was sent: p50, p99, max. */
  sendLag: { p50: number; p99: number; max: number };
};

/** The q-quantile of sorted values (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const round = (x: number) => Math.round(x * 100) / 100;

export async function paced(opts: {
  origin: string;
  rate: number;
  seconds: number;
  connections: number;
  next: () => { path: string; headers?: Record<string, string> };
}): Promise<PacedResult> {
  const pool = new Pool(opts.origin, { connections: opts.connections, pipelining: 1 });
  const total = Math.round(opts.rate * opts.seconds);
  const latencies: number[] = [];
  const lags: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const startedAt = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - startedAt) * opts.rate) / 1000) + 1);
      while (sent < due) {
        const planned = startedAt + (sent * 1000) / opts.rate;
        sent++;
        const { path, headers } = opts.next();
        const t0 = performance.now();
        lags.push(t0 - planned);
        const done = pool.request({ method: "GET", path, headers }).then(
          async (res) => {
            await res.body.dump();
            latencies.push(performance.now() - t0);
            statusCodes[res.statusCode] = (statusCodes[res.statusCode] ?? 0) + 1;
          },
          () => {
            errors++;
          },
        );
        inFlight.add(done);
        void done.finally(() => inFlight.delete(done));
      }
      if (sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(inFlight);
  const elapsed = (performance.now() - startedAt) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  const ok = Object.entries(statusCodes).reduce((n, [code, count]) => n + (code.startsWith("2") ? count : 0), 0);
  return {
    rate: opts.rate,
    requestsPerSecond: latencies.length / elapsed,
    total: latencies.length,
    latencyP50: round(quantile(latencies, 0.5)),
    latencyP90: round(quantile(latencies, 0.9)),
    latencyP99: round(quantile(latencies, 0.99)),
    latencyMax: round(latencies.at(-1) ?? 0),
    non2xx: latencies.length - ok,
    errors,
    statusCodes,
    sendLag: { p50: round(quantile(lags, 0.5)), p99: round(quantile(lags, 0.99)), max: round(lags.at(-1) ?? 0) },
  };
}
