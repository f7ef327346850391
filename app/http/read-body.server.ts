import type { IncomingMessage } from "node:http";

/**
 * Reading a request body within a limit (request-guards.server.ts), and handing a body already read
 * on to the next handler: a fast path that answers before Express (the exam autosave) reads the body,
 * and when it then passes the request on, Express's guard takes the body from it instead of the socket.
 */

export type BodyResult = { kind: "ok"; body: Uint8Array<ArrayBuffer> } | { kind: "tooLarge"; drained: boolean } | { kind: "aborted" };

/** Reads the request body, keeping at most `limit` bytes; an over-size body is drained (to a point). */
export function readLimitedBody(req: IncomingMessage, limit: number, drainLimit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (chunks.length) chunks.length = 0;
      if (size > drainLimit) {
        req.pause();
        settle({ kind: "tooLarge", drained: false });
      }
    };
    req.on("data", onData);
    req.once("end", () => {
      if (size > limit) return settle({ kind: "tooLarge", drained: true });
      const body = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        body.set(chunk, offset);
        offset += chunk.length;
      }
      settle({ kind: "ok", body });
    });
    req.once("error", () => settle({ kind: "aborted" }));
    req.once("close", () => {
      if (!req.complete) settle({ kind: "aborted" });
    });
  });
}


const PRE_READ = Symbol("manabi.pre-read-body");
type WithPreRead = IncomingMessage & { [PRE_READ]?: BodyResult };

/** Hands a body that was read (within the same limit the guard applies) on with the request. */
export function handOnBody(req: IncomingMessage, body: BodyResult): void {
  (req as WithPreRead)[PRE_READ] = body;
}

/** The body a fast path read before passing the request on, if it did. */
export function preReadBody(req: IncomingMessage): BodyResult | null {
  return (req as WithPreRead)[PRE_READ] ?? null;
}
