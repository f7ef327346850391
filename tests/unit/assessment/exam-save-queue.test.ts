import { describe, expect, it } from "vitest";
import { retryDelayMs, SaveQueue, type PendingChange, type QueueState, type SaveReply } from "~/assessment/exam-save-queue";

/** A queue with a hand-driven server and clock. */
function harness(stored: string | null = null) {
  const sent: { position: number; change: PendingChange; at: number; resolve: (r: SaveReply) => void }[] = [];
  const states: QueueState[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const storage = new Map<string, string>(stored ? [["k", stored]] : []);
  const queue = new SaveQueue({
    send: (position, change, at) => new Promise((resolve) => sent.push({ position, change, at, resolve })),
    onState: (s) => states.push(s),
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v), removeItem: (k) => void storage.delete(k) },
    storageKey: "k",
  });
  const flush = () => new Promise((r) => setTimeout(r, 0));
  return { queue, sent, states, timers, storage, flush };
}

describe("the exam autosave queue", () => {
  it("sends one change at a time and forgets it only when the server acknowledges it", async () => {
    const h = harness();
    h.queue.change(0, { answer: ["a"] });
    h.queue.change(1, { flagged: true });
    expect(h.sent).toHaveLength(1);
    expect(JSON.parse(h.storage.get("k")!)).toHaveLength(2);
    h.sent[0]!.resolve({ status: "saved", savedAt: "2026-01-01T00:00:00.000Z" });
    await h.flush();
    expect(h.sent).toHaveLength(2);
    expect(h.sent[1]).toMatchObject({ position: 1, change: { flagged: true } });
    h.sent[1]!.resolve({ status: "saved", savedAt: "2026-01-01T00:00:01.000Z" });
    await h.flush();
    expect(h.queue.unsent).toBe(0);
    expect(h.storage.has("k")).toBe(false);
    expect(h.states.at(-1)).toEqual({ kind: "idle", savedAt: "2026-01-01T00:00:01.000Z" });
  });

  it("keeps a newer answer chosen while the older one was in flight, and sends it next", async () => {
    const h = harness();
    h.queue.change(0, { answer: ["a"] });
    h.queue.change(0, { answer: ["c"] });
    h.sent[0]!.resolve({ status: "saved", savedAt: "t" });
    await h.flush();
    expect(h.sent[1]).toMatchObject({ position: 0, change: { answer: ["c"] } });
  });

  it("retries a failed save with growing waits and shows that it is not saved", async () => {
    const h = harness();
    h.queue.change(2, { answer: ["b"] }, 3);
    h.sent[0]!.resolve({ status: "failed" });
    await h.flush();
    expect(h.states.at(-1)).toEqual({ kind: "retrying", attempt: 1, nextInMs: 1000 });
    expect(h.queue.unsent).toBe(1);
    h.timers.shift()!.fn();
    expect(h.sent).toHaveLength(2);
    expect(h.sent[1]).toMatchObject({ position: 2, change: { answer: ["b"] }, at: 3 });
    h.sent[1]!.resolve({ status: "failed" });
    await h.flush();
    expect(h.timers[0]!.ms).toBe(2000);
    expect([1, 2, 3, 6, 10].map(retryDelayMs)).toEqual([1000, 2000, 4000, 30_000, 30_000]);
  });

  it("stops when the session ended, keeps the answers for the next page load, and sends them then", async () => {
    const h = harness();
    h.queue.change(0, { answer: ["a"] });
    h.sent[0]!.resolve({ status: "signed-out" });
    await h.flush();
    expect(h.states.at(-1)).toEqual({ kind: "signed-out" });
    h.queue.change(1, { answer: ["d"] });
    expect(h.sent).toHaveLength(1); // nothing more is sent while signed out
    expect(await h.queue.whenIdle(10)).toBe(false);

    const next = harness(h.storage.get("k")!);
    const restored = next.queue.restore();
    expect([...restored]).toEqual([
      [0, { answer: ["a"] }],
      [1, { answer: ["d"] }],
    ]);
    next.queue.resume();
    expect(next.sent[0]).toMatchObject({ position: 0, change: { answer: ["a"] } });
  });

  it("ignores stored data it did not write", () => {
    const h = harness('[[0,{"answer":"a"}],[-1,{"flagged":true}],"x"]');
    expect(h.queue.restore().size).toBe(0);
    const broken = harness("{not json");
    expect(broken.queue.restore().size).toBe(0);
    expect(broken.storage.has("k")).toBe(false);
  });

  it("reports a closed attempt and resolves waiting submits at once", async () => {
    const h = harness();
    h.queue.change(0, { answer: ["a"] });
    const idle = h.queue.whenIdle(60_000);
    h.sent[0]!.resolve({ status: "closed", kind: "deadline-passed" });
    expect(await idle).toBe(false);
    expect(h.states.at(-1)).toEqual({ kind: "closed", reason: "deadline-passed" });
  });
});
