import type { TestProject } from "vitest/node";
import { createTestDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase: { kind: "postgres"; url: string } | { kind: "pglite"; dir: string };
  }
}

export default async function setup(project: TestProject) {
  const db = await createTestDatabase("manabi_it");
  project.provide("testDatabase", db.kind === "postgres" ? { kind: "postgres", url: db.url } : { kind: "pglite", dir: db.dir });
  return async () => {
    await db.drop();
  };
}
