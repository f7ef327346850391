// `npm start`: build if needed, then serve in this same process (so SIGINT/SIGTERM reach the server).
import { buildIfNeeded } from "./build-if-needed.mjs";

try {
  buildIfNeeded();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
process.env.NODE_ENV ??= "production";
await import("../server.mjs");
