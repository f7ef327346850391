import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkDraftAt, contentFingerprint } from "~/content/authoring.server";
import { VALID_FIXTURE } from "./fixture";

describe("the authoring pages' draft check", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "manabi-draft-"));
    await cp(VALID_FIXTURE, dir, { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("checks the folder once while nothing changes, and again as soon as any file does", async () => {
    const first = await checkDraftAt(dir);
    expect(first.bundle).not.toBeNull();
    expect(await checkDraftAt(dir)).toBe(first);

    const bank = path.join(dir, "courses/intro/questions.yaml");
    await writeFile(bank, (await readFile(bank, "utf8")).replace("It predicts the next word.", "It predicts the next token."));
    const second = await checkDraftAt(dir);
    expect(second).not.toBe(first);
    expect(JSON.stringify(second.bundle)).toContain("It predicts the next token.");
  });

  it("fingerprints paths and bytes, not times", async () => {
    const before = await contentFingerprint(dir);
    const lesson = path.join(dir, "courses/intro/01-what.en.mdx");
    const text = await readFile(lesson, "utf8");
    await writeFile(lesson, text);
    expect(await contentFingerprint(dir)).toBe(before);
    await writeFile(lesson, `${text}\n`);
    expect(await contentFingerprint(dir)).not.toBe(before);
  });
});
