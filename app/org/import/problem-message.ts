import type { ImportProblem } from "./validate";

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** A problem's reason in the reader's language (the CLI passes an English `t`). */
export function problemMessage(t: Translate, problem: ImportProblem): string {
  return t(`orgImport.problems.${problem.code}`, { column: problem.column ?? "", ...problem.params });
}
