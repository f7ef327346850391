import { randomBytes } from "node:crypto";

/**
 * The server's signing secret for HMACs (reading tokens, …).
 * Interim: wired to app/env.server.ts's SESSION_SECRET once that lands; until then a random secret
 * per process, which only means tokens do not survive a restart.
 */
let secret: Buffer | null = null;
export function signingSecret(): Buffer {
  return (secret ??= process.env.SESSION_SECRET ? Buffer.from(process.env.SESSION_SECRET) : randomBytes(32));
}
