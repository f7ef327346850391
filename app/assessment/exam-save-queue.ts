/**
 * The exam page's autosave: every change is queued per question, sent one request at a time, kept
 * (in memory and in the tab's session storage) until the server acknowledges it, and retried with
 * backoff when the network or the server fails. Pure: the page injects how to send, the timers and
 * the storage, so the rules are tested without a browser.
 */

export type PendingChange = { answer?: string[]; flagged?: boolean };

export type SaveReply =
  | { status: "saved"; savedAt: string }
  /** The session ended: stop sending, keep the changes, ask the person to sign in again. */
  | { status: "signed-out" }
  /** The attempt was submitted or finalised at its deadline (409): nothing more can be saved. */
  | { status: "closed"; kind: "finished" | "deadline-passed" }
  /** Refused for good (400/403/404): the change is dropped, the page says so. */
  | { status: "refused"; kind: string }
  /** Network failure or a 5xx: retried. */
  | { status: "failed" };

export type QueueState =
  | { kind: "idle"; savedAt: string | null }
  | { kind: "saving" }
  | { kind: "retrying"; attempt: number; nextInMs: number }
  | { kind: "signed-out" }
  | { kind: "closed"; reason: "finished" | "deadline-passed" }
  | { kind: "refused"; reason: string };

export type SaveQueueDeps = {
  send: (position: number, change: PendingChange, at: number) => Promise<SaveReply>;
  onState: (state: QueueState) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null;
  storageKey?: string;
};

/** Delay before the n-th retry (1-based): 1 s, 2 s, 4 s … capped at 30 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

const sameChange = (a: PendingChange | undefined, b: PendingChange | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export class SaveQueue {
  private pending = new Map<number, PendingChange>();
  private at = 0;
  private inFlight = false;
  private failures = 0;
  private timer: unknown = null;
  private stopped: QueueState | null = null;
  private lastSavedAt: string | null = null;
  private waiters: (() => void)[] = [];
  private readonly setTimer: NonNullable<SaveQueueDeps["setTimer"]>;
  private readonly clearTimer: NonNullable<SaveQueueDeps["clearTimer"]>;

  constructor(private readonly deps: SaveQueueDeps) {
    this.setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  /** Changes a previous page load left unacknowledged in this tab (e.g. the session had ended). */
  restore(): Map<number, PendingChange> {
    const raw = this.deps.storageKey ? this.deps.storage?.getItem(this.deps.storageKey) : null;
    if (!raw) return new Map();
    try {
      const entries = JSON.parse(raw) as [number, PendingChange][];
      for (const [position, change] of entries) {
        if (!Number.isInteger(position) || position < 0) continue;
        const clean: PendingChange = {};
        if (Array.isArray(change.answer) && change.answer.every((a) => typeof a === "string")) clean.answer = change.answer;
        if (typeof change.flagged === "boolean") clean.flagged = change.flagged;
        if (clean.answer || clean.flagged !== undefined) this.pending.set(position, clean);
      }
    } catch {
      this.deps.storage?.removeItem(this.deps.storageKey!);
    }
    return new Map(this.pending);
  }

  /** Sends what `restore` found, once the page is ready. */
  resume(): void {
    if (this.pending.size > 0) this.pump();
  }

  /** Queues a change for one question (merged with a change not yet sent) and where the learner is. */
  change(position: number, change: PendingChange, at = position): void {
    this.at = at;
    this.pending.set(position, { ...this.pending.get(position), ...change });
    this.persist();
    if (this.stopped?.kind === "signed-out" || this.stopped?.kind === "closed") return;
    this.stopped = null;
    this.pump();
  }

  /** How many questions have a change the server has not acknowledged. */
  get unsent(): number {
    return this.pending.size;
  }

  pendingFor(position: number): PendingChange | undefined {
    return this.pending.get(position);
  }

  /** Resolves once everything is acknowledged, or the queue stopped (signed out, closed), or `timeoutMs` passed. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.isSettled()) return Promise.resolve(this.pending.size === 0);
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        resolve(this.pending.size === 0);
      };
      this.waiters.push(finish);
      this.setTimer(finish, timeoutMs);
    });
  }

  /** Tries again now (the "Retry now" button, or the browser coming back online). */
  retryNow(): void {
    if (this.stopped?.kind === "closed") return;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.stopped = null;
    this.pump();
  }

  private isSettled() {
    return (this.pending.size === 0 && !this.inFlight) || this.stopped !== null;
  }

  private settle() {
    if (!this.isSettled()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private persist() {
    const { storage, storageKey } = this.deps;
    if (!storage || !storageKey) return;
    try {
      if (this.pending.size === 0) storage.removeItem(storageKey);
      else storage.setItem(storageKey, JSON.stringify([...this.pending]));
    } catch {
      // Storage full or disabled: the changes stay in memory.
    }
  }

  private stop(state: QueueState) {
    this.stopped = state;
    this.deps.onState(state);
    this.settle();
  }

  private pump(): void {
    if (this.inFlight || this.timer !== null || this.stopped) return;
    const next = this.pending.entries().next();
    if (next.done) {
      this.deps.onState({ kind: "idle", savedAt: this.lastSavedAt });
      this.settle();
      return;
    }
    const [position, change] = next.value;
    this.inFlight = true;
    this.deps.onState({ kind: "saving" });
    void this.deps.send(position, change, this.at).then(
      (reply) => this.handle(position, change, reply),
      () => this.handle(position, change, { status: "failed" }),
    );
  }

  private handle(position: number, sent: PendingChange, reply: SaveReply) {
    this.inFlight = false;
    switch (reply.status) {
      case "saved":
        this.failures = 0;
        this.lastSavedAt = reply.savedAt;
        // A newer change to the same question made while this one was in flight is still to be sent.
        if (sameChange(this.pending.get(position), sent)) this.pending.delete(position);
        this.persist();
        this.pump();
        return;
      case "failed": {
        this.failures += 1;
        const delay = retryDelayMs(this.failures);
        this.deps.onState({ kind: "retrying", attempt: this.failures, nextInMs: delay });
        this.timer = this.setTimer(() => {
          this.timer = null;
          this.pump();
        }, delay);
        return;
      }
      case "signed-out":
        this.stop({ kind: "signed-out" });
        return;
      case "closed":
        this.stop({ kind: "closed", reason: reply.kind });
        return;
      case "refused":
        if (sameChange(this.pending.get(position), sent)) this.pending.delete(position);
        this.persist();
        this.stop({ kind: "refused", reason: reply.kind });
        return;
    }
  }
}
