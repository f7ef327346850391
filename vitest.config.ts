import os from "node:os";
import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.{ts,tsx}"], environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.{ts,tsx}"],
          globalSetup: ["tests/helpers/db-global-setup.ts"],
          setupFiles: ["tests/helpers/db-setup.ts"],
          pool: "forks",
          // Vitest's default (cores − 1) ran the files one at a time on a 2-core machine, while each file
          // waits on its database for part of the time: one file per core on PGlite (it runs in the test
          // process), one more on the PostgreSQL server (which works in processes of its own).
          maxWorkers: os.availableParallelism() + (process.env.DATABASE_URL ? 1 : 0),
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/helpers/e2e-global-setup.ts"],
          fileParallelism: false,
          // expect.poll waits up to 1 s by default: too short for a server action (a password check,
          // a publish) on a busy 2-core CI machine. Polls end as soon as they pass, so this costs nothing.
          expect: { poll: { timeout: 10_000 } },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
