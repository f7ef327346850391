import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkContent } from "~/content/load.server";
import type { CheckResult, Problem } from "~/content/types";

/** A tiny complete content folder that passes with zero problems. */
export const VALID_FIXTURE = fileURLToPath(new URL("../../fixtures/content/valid", import.meta.url));

/** Changes to a copy of the valid fixture. Each edit must change the file, so a test cannot pass by editing nothing. */
export type FixtureEditor = {
  dir: string;
  /** Replaces the one occurrence of `from` in `file`. */
  replace: (file: string, from: string, to: string) => Promise<void>;
  /** Writes a file (creating its folder); bytes for files that are not valid UTF-8 on purpose. */
  write: (file: string, text: string | Uint8Array) => Promise<void>;
  remove: (file: string) => Promise<void>;
};

export type FixtureResult = CheckResult & {
  /** The 1-based line of the first line containing `needle` in `file` as it was checked. */
  lineOf: (file: string, needle: string, occurrence?: number) => number;
  /** The 1-based column (in UTF-16 code units, as the checker counts) of the first `needle` in `file`. */
  columnOf: (file: string, needle: string) => number;
  /** The problems with this code. */
  withCode: (code: string) => Problem[];
};

/** Copies the valid fixture into a temporary folder, applies `mutate`, checks it, and cleans up. */
export async function withFixture(mutate: (editor: FixtureEditor) => Promise<void> | void = () => {}): Promise<FixtureResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "manabi-content-"));
  const texts = new Map<string, string>();
  const read = async (file: string) => texts.get(file) ?? (await readFile(path.join(dir, file), "utf8"));
  const editor: FixtureEditor = {
    dir,
    async replace(file, from, to) {
      const text = await read(file);
      const count = text.split(from).length - 1;
      if (count !== 1) throw new Error(`expected exactly one "${from}" in ${file}, found ${count}`);
      const changed = text.replace(from, () => to);
      texts.set(file, changed);
      await writeFile(path.join(dir, file), changed);
    },
    async write(file, text) {
      // lineOf only counts newlines, which a lossy decoding keeps.
      texts.set(file, typeof text === "string" ? text : Buffer.from(text).toString("utf8"));
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    },
    async remove(file) {
      await rm(path.join(dir, file));
    },
  };
  try {
    await cp(VALID_FIXTURE, dir, { recursive: true });
    await mutate(editor);
    const result = await checkContent(dir);
    const finalTexts = new Map<string, string>();
    for (const file of texts.keys()) finalTexts.set(file, await read(file));
    const original = async (file: string) => readFile(path.join(VALID_FIXTURE, file), "utf8");
    const untouched = new Map<string, string>();
    for (const file of new Set(result.problems.map((p) => p.file))) {
      if (!finalTexts.has(file)) untouched.set(file, await original(file).catch(() => ""));
    }
    return {
      ...result,
      lineOf(file, needle, occurrence = 1) {
        const text = finalTexts.get(file) ?? untouched.get(file);
        if (text === undefined) throw new Error(`no text for ${file}`);
        let seen = 0;
        const lines = text.split("\n");
        for (const [index, line] of lines.entries()) {
          if (line.includes(needle) && ++seen === occurrence) return index + 1;
        }
        throw new Error(`"${needle}" not found in ${file}`);
      },
      columnOf(file, needle) {
        const text = finalTexts.get(file) ?? untouched.get(file);
        if (text === undefined) throw new Error(`no text for ${file}`);
        const line = text.split("\n").find((l) => l.includes(needle));
        if (line === undefined) throw new Error(`"${needle}" not found in ${file}`);
        return line.replace(/^\ufeff/, "").indexOf(needle) + 1;
      },
      withCode: (code) => result.problems.filter((p) => p.code === code),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
