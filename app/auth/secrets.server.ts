import { sessionSecret } from "~/env.server";

/**
 * The server's signing secret for HMACs (reading tokens, …): SESSION_SECRET, or the one generated
 * beside the embedded database (app/env.server.ts). Give each use its own prefix in the signed text
 * so a value signed for one purpose is never accepted for another.
 */
let secret: Buffer | null = null;
export function signingSecret(): Buffer {
  return (secret ??= Buffer.from(sessionSecret()));
}
