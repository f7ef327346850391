/**
 * Reads a content folder from disk, validates every file against its schema, compiles every lesson,
 * runs the cross-file checks (ids, references, blueprints) and, when nothing is wrong, assembles the
 * `ContentBundle` a release stores. Every problem comes with the file, line and column to fix.
 *
 * Bad content never throws: it becomes problems. The bundle is null as soon as there is one error.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { ZodType } from "zod";
import { z } from "zod";
import { compileLesson, type CompiledLesson } from "~/content/mdx-compile";
import {
  courseSchema,
  domainSchema,
  glossaryTermSchema,
  lessonFrontmatterSchema,
  questionSchema,
  toolSchema,
  trackSchema,
  type CourseFile,
  type LessonFrontmatter,
  type QuestionEntry,
  type ToolFile,
  type TrackFile,
} from "~/content/schemas";
import type {
  CheckResult,
  ContentBundle,
  Course,
  Domain,
  GlossaryTerm,
  Language,
  Lesson,
  Problem,
  Question,
  Tool,
  Track,
} from "~/content/types";
import { decodeUtf8, scanText, unsafeCodePoints } from "~/content/text-hygiene";
import { optionLetterCitations } from "~/content/option-letters";
import { organisationFileSchema, resolveOrganisation, type OrganisationValues } from "~/content/organisation";
import {
  KEY_LONGEST_LIMIT,
  MUCH_LONGER,
  overKeyLongestLimit,
  percent,
  POOL_FACTOR,
  questionStats,
  type QuestionStats,
  type StatsQuestion,
} from "~/content/question-stats";
import {
  compileTerminology,
  lessonVariants,
  terminologyConceptSchema,
  yamlVariants,
  type LocatedHit,
  type Terminology,
} from "~/content/terminology";
import { errorMessage, parseYaml, schemaProblems, valueProblems, type ParsedYaml, type Position, type YamlPath } from "~/content/yaml-positions";

/** `01-what-is-ai.en.mdx`: a two-digit number, a kebab-case slug and the language. */
export const LESSON_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.(en|ja)\.mdx$/;
const LANGS: Language[] = ["en", "ja"];
const LANG_NAME: Record<Language, string> = { en: "English", ja: "Japanese" };

type Locate = ParsedYaml["locate"];
/** A YAML file that parsed: its raw value (for references even when invalid) and positions. */
type YamlFile = { file: string; raw: unknown; locate: Locate; text: string };
/** One entry of a list file: valid data, or null with the raw entry kept for references. */
type Entry<T> = { index: number; raw: unknown; data: T | null };

type LessonFile = {
  file: string;
  lang: Language;
  source: Buffer;
  /** The decoded text the compiler read (positions refer to it). */
  text: string;
  compiled: CompiledLesson;
  meta: LessonFrontmatter | null;
  /** The frontmatter id if it is a string, even when the frontmatter is otherwise invalid. */
  rawId: string | null;
};
type LessonPair = { courseFolder: string; base: string; number: string; files: Partial<Record<Language, LessonFile>>; id: string | null };

type CourseFolder = {
  folder: string;
  yaml: YamlFile | null;
  course: CourseFile | null;
  rawId: string | null;
  lessons: LessonPair[];
  bank: YamlFile | null;
  questions: Entry<QuestionEntry>[];
};

export async function checkContent(dir: string): Promise<CheckResult> {
  const checker = new ContentChecker(path.resolve(dir));
  let bundle: ContentBundle | null = null;
  try {
    bundle = await checker.run();
  } catch (error) {
    checker.error(
      "internal",
      ".",
      { line: 1, column: 1 },
      `The checker failed: ${errorMessage(error).split("\n")[0]}`,
      "This is a bug in the checker, not in your content; please report it with the command you ran.",
    );
  }
  const problems = sortProblems(checker.problems);
  return {
    bundle: problems.some((p) => p.severity === "error") ? null : bundle,
    problems,
    stats: checker.stats,
    organisation: checker.organisation,
  };
}

/** Counts of a bundle, for summaries. */
export { bundleCounts as countBundle } from "./diff";

export function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The hash of one language's words of a question (stem, options, explanation), to spot stale translations. */
export function questionHash(question: Pick<Question, "stem" | "options" | "explanation">, lang: Language): string {
  return sha256(
    JSON.stringify({
      stem: question.stem[lang],
      options: question.options.map((o) => [o.id, o.text[lang]]),
      explanation: question.explanation[lang],
    }),
  );
}

// ----------------------------------------------------------------------------------------------------

class ContentChecker {
  readonly problems: Problem[] = [];
  /** The question-bank figures (valid questions and tracks only), also when there are errors elsewhere. */
  stats: QuestionStats = { banks: [], domains: [] };
  organisation: OrganisationValues | null = null;
  /** Every YAML file and lesson read, for the checks that look at all the words (terminology). */
  private readonly yamlFiles: YamlFile[] = [];
  private readonly lessonFiles: LessonFile[] = [];

  constructor(private readonly root: string) {}

  error(code: string, file: string, at: Position, message: string, hint: string) {
    this.problems.push({ severity: "error", code, file, line: at.line, column: at.column, message, hint });
  }

  warn(code: string, file: string, at: Position, message: string, hint: string) {
    this.problems.push({ severity: "warning", code, file, line: at.line, column: at.column, message, hint });
  }

  async run(): Promise<ContentBundle | null> {
    const rootStat = await stat(this.root).catch(() => null);
    if (!rootStat?.isDirectory()) {
      this.error(
        "missing-file",
        ".",
        START,
        `The content folder ${this.root} does not exist`,
        "Run the check from the project folder, or pass --dir <folder>.",
      );
      return null;
    }

    // -- domains.yaml and glossary.yaml ---------------------------------------------------------------
    const domainsFile = await this.readYaml("domains.yaml", true);
    const domains = this.listEntries(domainsFile, "domains", domainSchema, true);
    const domainIds = this.uniqueIds(domainsFile, "domains", domains, "domain");

    const glossaryFile = await this.readYaml("glossary.yaml", true);
    const terms = this.listEntries(glossaryFile, "terms", glossaryTermSchema, false);
    const termIds = this.uniqueIds(glossaryFile, "terms", terms, "glossary term");

    // -- organisation.yaml (optional): the company's values for <Org> and the certificates -------------
    const organisationFile = await this.readYaml(ORGANISATION_FILE, false);
    const organisation = organisationFile ? this.validate(organisationFile, organisationFileSchema)?.values ?? null : null;
    this.organisation = organisation;

    // -- courses --------------------------------------------------------------------------------------
    const courses: CourseFolder[] = [];
    for (const folder of await this.subfolders("courses")) courses.push(await this.readCourse(folder));
    this.checkCourses(courses, domainIds, termIds);
    if (!organisationFile) this.checkOrgWithoutFile(courses);

    // -- tracks and tools -----------------------------------------------------------------------------
    const tracks = await this.readAll("tracks", trackSchema);
    this.checkTracks(tracks, courses, domainIds);
    const tools = await this.readAll("tools", toolSchema);
    this.checkTools(tools, new Set(tracks.map((t) => t.rawId).filter(isString)));

    // -- terminology.yaml (optional): avoided variants anywhere a reader sees words -----------------------
    const terminologyFile = await this.readYaml("terminology.yaml", false);
    if (terminologyFile) {
      const concepts = this.listEntries(terminologyFile, "concepts", terminologyConceptSchema, false);
      this.uniqueIds(terminologyFile, "concepts", concepts, "concept");
      this.checkTerminology(compileTerminology(concepts.flatMap((c) => (c.data ? [c.data] : []))), terminologyFile.file);
    }

    this.stats = questionStats(
      statsQuestions(courses),
      tracks.flatMap((t) => (t.data ? [t.data] : [])),
    );
    this.checkKeyCues(this.stats, courses);

    if (this.problems.some((p) => p.severity === "error")) return null;
    return this.bundle(domains, terms, courses, tracks, tools, organisation);
  }

  // -- reading ----------------------------------------------------------------------------------------

  private async readBytes(file: string): Promise<Buffer | null> {
    try {
      return await readFile(path.join(this.root, file));
    } catch {
      return null;
    }
  }

  /**
   * A file's text, strictly UTF-8 (a byte order mark dropped, CRLF read as LF). A file that is not UTF-8 is an error at
   * its first bad byte; its lossy decoding is still checked, so one bad byte does not hide every other
   * problem or cascade into "missing" ones, and the bundle is null anyway.
   */
  private decode(file: string, bytes: Buffer): { text: string; clean: boolean } {
    const decoded = decodeUtf8(bytes);
    if (decoded.problem) this.problems.push({ ...decoded.problem, file });
    // CRLF becomes LF (same lines and columns), so a lesson compiles to the same tree either way; a
    // lone CR stays and is reported.
    return { text: decoded.text.replaceAll("\r\n", "\n"), clean: !decoded.problem };
  }

  private async readYaml(file: string, required: boolean): Promise<YamlFile | null> {
    const buffer = await this.readBytes(file);
    if (!buffer) {
      if (required) this.error("missing-file", file, START, `${file} is missing`, "Create it as described in docs/content-format.md.");
      return null;
    }
    const { text, clean } = this.decode(file, buffer);
    const hygiene = scanText(text, { ignoreReplacement: !clean }).map((p) => ({ ...p, file }));
    this.problems.push(...hygiene);
    const parsed = parseYaml(text, file);
    this.problems.push(...parsed.problems);
    if (parsed.value === undefined) return null;
    // Characters written as escapes ("\u202E") pass the scan of the file: check the values too.
    if (!hygiene.some((p) => p.severity === "error"))
      this.problems.push(...valueProblems(parsed.value, file, parsed.locate, unsafeCodePoints(text)));
    this.yamlFiles.push({ file, raw: parsed.value, locate: parsed.locate, text });
    return { file, raw: parsed.value, locate: parsed.locate, text };
  }

  private validate<T>(yaml: YamlFile, schema: ZodType<T, z.ZodTypeDef, unknown>): T | null {
    const result = schema.safeParse(yaml.raw);
    if (result.success) return result.data;
    this.problems.push(...schemaProblems(result.error, yaml.file, yaml.locate, yaml.raw));
    return null;
  }

  /**
   * A list file (`domains:`, `terms:`, `questions:`): each entry is validated on its own, so one bad
   * entry is reported without hiding the others from the cross-file checks.
   */
  private listEntries<T>(yaml: YamlFile | null, key: string, schema: ZodType<T, z.ZodTypeDef, unknown>, nonEmpty: boolean): Entry<T>[] {
    if (!yaml) return [];
    const list = z.array(z.unknown());
    const shape = z.object({ [key]: nonEmpty ? list.min(1, "must not be empty") : list }).strict();
    const top = shape.safeParse(yaml.raw);
    if (!top.success) {
      this.problems.push(...schemaProblems(top.error, yaml.file, yaml.locate, yaml.raw));
      const items = (yaml.raw as Record<string, unknown> | null)?.[key];
      if (!Array.isArray(items)) return [];
    }
    const items = (yaml.raw as Record<string, unknown[]>)[key] as unknown[];
    return items.map((raw, index) => {
      const result = schema.safeParse(raw);
      if (result.success) return { index, raw, data: result.data };
      const prefixed = result.error.issues.map((issue) => ({ ...issue, path: [key, index, ...issue.path] }));
      this.problems.push(...schemaProblems(new z.ZodError(prefixed), yaml.file, yaml.locate, yaml.raw));
      return { index, raw, data: null };
    });
  }

  /** Records that `file` uses `id`; a second file using it is an error at `at`. */
  private claimId(seen: Map<string, string>, id: string, file: string, at: Position, what: string): void {
    const other = seen.get(id);
    if (other) this.error("duplicate-id", file, at, `The ${what} id "${id}" is also used by ${other}`, `Give each ${what} its own id.`);
    else seen.set(id, file);
  }

  /** The ids of a list file's entries (also of invalid ones); an id given twice is an error. */
  private uniqueIds(yaml: YamlFile | null, key: string, entries: Entry<unknown>[], what: string): Set<string> {
    const ids = new Set<string>();
    if (!yaml) return ids;
    for (const entry of entries) {
      const id = rawId(entry.raw);
      if (id === null) continue;
      if (ids.has(id))
        this.error(
          "duplicate-id",
          yaml.file,
          yaml.locate([key, entry.index, "id"]),
          `The ${what} id "${id}" is used twice`,
          `Give each ${what} its own id.`,
        );
      ids.add(id);
    }
    return ids;
  }

  private async subfolders(folder: string): Promise<string[]> {
    const entries = await readdir(path.join(this.root, folder), { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  }

  private async files(folder: string): Promise<string[]> {
    const entries = await readdir(path.join(this.root, folder), { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
  }

  private async readCourse(folder: string): Promise<CourseFolder> {
    const dir = `courses/${folder}`;
    const yaml = await this.readYaml(`${dir}/course.yaml`, true);
    const course = yaml ? this.validate(yaml, courseSchema) : null;
    const bank = await this.readYaml(`${dir}/questions.yaml`, false);
    const questions = this.listEntries(bank, "questions", questionSchema, false);

    const pairs = new Map<string, LessonPair>();
    for (const name of await this.files(dir)) {
      const file = `${dir}/${name}`;
      if (name === "course.yaml" || name === "questions.yaml") continue;
      if (/\.ya?ml$/.test(name)) {
        this.warn(
          "unknown-file",
          file,
          START,
          `${name} is not read by the checker`,
          "Course folders hold course.yaml, questions.yaml and the lesson .mdx files; rename or remove this file.",
        );
        continue;
      }
      if (!name.endsWith(".mdx")) continue;
      const match = LESSON_FILE.exec(name);
      if (!match) {
        this.error(
          "bad-file-name",
          file,
          START,
          `${name} is not a lesson file name`,
          "Name lessons <nn>-<slug>.en.mdx and <nn>-<slug>.ja.mdx, e.g. 01-what-is-ai.en.mdx.",
        );
        continue;
      }
      const [, number, slug, lang] = match as unknown as [string, string, string, Language];
      const base = `${number}-${slug}`;
      const pair = pairs.get(base) ?? { courseFolder: folder, base, number, files: {}, id: null };
      pairs.set(base, pair);
      pair.files[lang] = await this.readLesson(file, lang);
    }
    for (const pair of pairs.values()) pair.id = pair.files.en?.rawId ?? pair.files.ja?.rawId ?? null;

    return { folder, yaml, course, rawId: rawId(yaml?.raw), lessons: [...pairs.values()], bank, questions };
  }

  private async readLesson(file: string, lang: Language): Promise<LessonFile> {
    const source = (await this.readBytes(file)) ?? Buffer.alloc(0);
    const { text, clean } = this.decode(file, source);
    const compiled = compileLesson(text, { file, lang, decodedLossily: !clean });
    this.problems.push(...compiled.problems);
    const parsed = lessonFrontmatterSchema.safeParse(compiled.frontmatter);
    const lesson = { file, lang, source, text, compiled, meta: parsed.success ? parsed.data : null, rawId: rawId(compiled.frontmatter) };
    this.lessonFiles.push(lesson);
    return lesson;
  }

  private async readAll<T>(
    folder: string,
    schema: ZodType<T, z.ZodTypeDef, unknown>,
  ): Promise<{ yaml: YamlFile; data: T | null; rawId: string | null }[]> {
    const out: { yaml: YamlFile; data: T | null; rawId: string | null }[] = [];
    for (const name of await this.files(folder)) {
      const file = `${folder}/${name}`;
      if (!/\.ya?ml$/.test(name)) continue;
      if (name.endsWith(".yml"))
        this.warn("unknown-file", file, START, `${name} should end in .yaml`, "Rename it to .yaml; it is read anyway.");
      const yaml = await this.readYaml(file, true);
      if (!yaml) continue;
      const data = this.validate(yaml, schema);
      const id = rawId(yaml.raw);
      const expected = name.replace(/\.ya?ml$/, "");
      if (id !== null && id !== expected) {
        this.error(
          "file-name-mismatch",
          file,
          yaml.locate(["id"]),
          `The id "${id}" does not match the file name ${name}`,
          `Rename the file to ${id}.yaml, or set id: ${expected}.`,
        );
      }
      out.push({ yaml, data, rawId: id });
    }
    return out;
  }

  // -- cross-checks -----------------------------------------------------------------------------------

  private checkCourses(courses: CourseFolder[], domainIds: Set<string>, termIds: Set<string>) {
    const courseIds = new Map<string, string>();
    const lessonIds = new Map<string, { file: string; course: string }>();
    const questionIds = new Map<string, { file: string; course: string }>();

    // Ids unique across all courses.
    for (const c of courses) {
      if (c.yaml && c.rawId !== null) {
        if (c.rawId !== c.folder) {
          this.error(
            "course-folder-mismatch",
            c.yaml.file,
            c.yaml.locate(["id"]),
            `The course id "${c.rawId}" does not match its folder courses/${c.folder}`,
            `Rename the folder to courses/${c.rawId}, or set id: ${c.folder}.`,
          );
        }
        this.claimId(courseIds, c.rawId, c.yaml.file, c.yaml.locate(["id"]), "course");
      }
      for (const pair of c.lessons) {
        const first = pair.files.en ?? pair.files.ja;
        if (!first || pair.id === null) continue;
        const other = lessonIds.get(pair.id);
        if (other)
          this.error(
            "duplicate-id",
            first.file,
            first.compiled.locateFrontmatter(["id"]),
            `The lesson id "${pair.id}" is also used by ${other.file}`,
            "Give each lesson its own id: progress and exams refer to it.",
          );
        else lessonIds.set(pair.id, { file: first.file, course: c.folder });
      }
      if (c.bank) {
        for (const q of c.questions) {
          const id = rawId(q.raw);
          if (id === null) continue;
          const other = questionIds.get(id);
          if (other) {
            const where = other.file === c.bank.file ? "earlier in this bank" : `in ${other.file}`;
            this.error(
              "duplicate-id",
              c.bank.file,
              c.bank.locate(["questions", q.index, "id"]),
              `The question id "${id}" is also used ${where}`,
              "Give each question its own id (unique across all banks).",
            );
          } else questionIds.set(id, { file: c.bank.file, course: c.folder });
        }
      }
    }

    for (const c of courses) {
      const bankIds = new Set(c.questions.map((q) => rawId(q.raw)).filter(isString));
      const examIds = new Set(c.questions.filter((q) => isExamItem(q.raw)).map((q) => rawId(q.raw)).filter(isString));
      const lessonsHere = new Set(c.lessons.map((p) => p.id).filter(isString));
      if (c.course) for (const id of c.course.lessons) lessonsHere.add(id);

      // Lessons: both languages, same id and knowledge checks, listed in course.yaml.
      for (const pair of c.lessons) this.checkLessonPair(c, pair);
      if (c.course && c.yaml) {
        const listed = new Set<string>();
        c.course.lessons.forEach((id, index) => {
          const at = c.yaml!.locate(["lessons", index]);
          if (listed.has(id)) this.error("duplicate-id", c.yaml!.file, at, `The lesson "${id}" is listed twice`, "List each lesson once.");
          listed.add(id);
          if (c.lessons.some((p) => p.id === id)) return;
          const elsewhere = lessonIds.get(id);
          this.error(
            "missing-lesson",
            c.yaml!.file,
            at,
            elsewhere ? `The lesson "${id}" is not in this course's folder (it is ${elsewhere.file})` : `The lesson "${id}" does not exist`,
            elsewhere
              ? "A course lists only the lessons in its own folder: move the lesson files, or remove the line."
              : `Add courses/${c.folder}/<nn>-<slug>.en.mdx and .ja.mdx with id: ${id}, or remove the line.`,
          );
        });
        for (const pair of c.lessons) {
          const first = pair.files.en ?? pair.files.ja;
          if (!first || pair.id === null || listed.has(pair.id)) continue;
          this.error(
            "unlisted-lesson",
            first.file,
            first.compiled.locateFrontmatter(["id"]),
            `The lesson "${pair.id}" is not listed in courses/${c.folder}/course.yaml`,
            `Add "- ${pair.id}" to the lessons of course.yaml at its place in the reading order.`,
          );
        }
      }

      // Questions: domain, lesson, answer key.
      if (c.bank) {
        for (const q of c.questions) {
          if (!q.data) continue;
          const at = (...p: YamlPath) => c.bank!.locate(["questions", q.index, ...p]);
          const question = q.data;
          if (!domainIds.has(question.domain)) {
            this.error(
              "unknown-domain",
              c.bank.file,
              at("domain"),
              `The domain "${question.domain}" of question ${question.id} is not in domains.yaml`,
              "Use a domain id from domains.yaml, or add the domain there.",
            );
          }
          if (!lessonsHere.has(question.lesson)) {
            const elsewhere = lessonIds.get(question.lesson);
            this.error(
              "unknown-lesson",
              c.bank.file,
              at("lesson"),
              elsewhere
                ? `The lesson "${question.lesson}" of question ${question.id} belongs to another course (${elsewhere.course})`
                : `The lesson "${question.lesson}" of question ${question.id} does not exist`,
              `Name a lesson of this course: ${[...lessonsHere].join(", ") || "(none)"}.`,
            );
          }
          for (const field of ["explanation", "hint"] as const) {
            const text = question[field];
            if (!text) continue;
            for (const lang of ["en", "ja"] as const) {
              const cited = optionLetterCitations(text[lang]);
              if (cited.length === 0) continue;
              this.error(
                "option-letter",
                c.bank.file,
                at(field, lang),
                `The ${field} of question ${question.id} (${lang}) refers to an option by letter: ${cited.map((c) => `"${c}"`).join(", ")}`,
                "Options are shown without letters and in shuffled order: name the option by what it says instead.",
              );
            }
          }
          if (question.type === "truefalse") continue;
          const optionIds = question.options.map((o) => o.id);
          const answers = question.type === "single" ? [question.answer] : question.answer;
          answers.forEach((answer, index) => {
            if (optionIds.includes(answer)) return;
            this.error(
              "answer-not-an-option",
              c.bank!.file,
              question.type === "single" ? at("answer") : at("answer", index),
              `The answer "${answer}" of question ${question.id} is not one of its options (${optionIds.join(", ")})`,
              "Point the answer at an existing option id, or add the missing option.",
            );
          });
        }
      }

      // References from lessons: knowledge checks in this course's bank, terms in the glossary.
      for (const pair of c.lessons) {
        for (const lesson of Object.values(pair.files)) {
          for (const ref of lesson.compiled.references) {
            const at = { line: ref.line, column: ref.column };
            if (ref.kind === "KnowledgeCheck" && bankIds.has(ref.id) && examIds.has(ref.id)) {
              this.error(
                "exam-question-in-lesson",
                lesson.file,
                at,
                `<KnowledgeCheck id="${ref.id}"> embeds an exam question: its key would be shown to every reader`,
                "Knowledge checks use practice questions only: name a question with use: practice, or write one.",
              );
            }
            if (ref.kind === "KnowledgeCheck" && !bankIds.has(ref.id)) {
              const elsewhere = questionIds.get(ref.id);
              this.error(
                "unknown-question",
                lesson.file,
                at,
                elsewhere
                  ? `<KnowledgeCheck id="${ref.id}"> names a question of another course (${elsewhere.course})`
                  : `<KnowledgeCheck id="${ref.id}"> names no question in courses/${c.folder}/questions.yaml`,
                "A knowledge check uses a question of the same course's bank: fix the id or add the question.",
              );
            }
            if (ref.kind === "Term" && !termIds.has(ref.id)) {
              this.error(
                "unknown-term",
                lesson.file,
                at,
                `<Term id="${ref.id}"> is not in glossary.yaml`,
                "Use a term id from glossary.yaml, or add the term there in both languages.",
              );
            }
          }
        }
      }
    }
  }

  private checkLessonPair(c: CourseFolder, pair: LessonPair) {
    const { en, ja } = pair.files;
    if (!en || !ja) {
      const present = (en ?? ja)!;
      const missing: Language = en ? "ja" : "en";
      this.error(
        "missing-translation",
        present.file,
        START,
        `The lesson ${pair.base} has no ${LANG_NAME[missing]} version (${pair.base}.${missing}.mdx)`,
        `Add courses/${c.folder}/${pair.base}.${missing}.mdx with the same id, or remove this file.`,
      );
      return;
    }
    if (en.rawId !== null && ja.rawId !== null && en.rawId !== ja.rawId) {
      this.error(
        "translation-mismatch",
        ja.file,
        ja.compiled.locateFrontmatter(["id"]),
        `The Japanese file has the id "${ja.rawId}" but the English one "${en.rawId}"`,
        "Both language files of a lesson use the same id.",
      );
    }
    const a = en.compiled.knowledgeChecks;
    const b = ja.compiled.knowledgeChecks;
    if (a.join("\n") !== b.join("\n")) {
      let index = 0;
      while (index < a.length && index < b.length && a[index] === b[index]) index += 1;
      const jaRefs = ja.compiled.references.filter((r) => r.kind === "KnowledgeCheck");
      const ref = jaRefs[index] ?? jaRefs[jaRefs.length - 1];
      this.error(
        "translation-mismatch",
        ja.file,
        ref ? { line: ref.line, column: ref.column } : START,
        `The knowledge checks differ between languages: English has ${a.join(", ") || "none"}, Japanese has ${b.join(", ") || "none"}`,
        "Use the same KnowledgeCheck ids in the same order in both files.",
      );
    }
    if (en.meta && ja.meta && Math.abs(en.meta.minutes - ja.meta.minutes) > 2) {
      this.warn(
        "minutes-mismatch",
        ja.file,
        ja.compiled.locateFrontmatter(["minutes"]),
        `The reading time is ${ja.meta.minutes} minutes in Japanese but ${en.meta.minutes} in English`,
        `The larger (${Math.max(en.meta.minutes, ja.meta.minutes)}) is used; align the two if the lessons are meant to be the same length.`,
      );
    }
  }

  private checkTracks(
    tracks: { yaml: YamlFile; data: TrackFile | null; rawId: string | null }[],
    courses: CourseFolder[],
    domainIds: Set<string>,
  ) {
    const knownCourses = new Set<string>();
    for (const c of courses) {
      knownCourses.add(c.folder);
      if (c.rawId) knownCourses.add(c.rawId);
    }
    const seen = new Map<string, string>();
    for (const { yaml, data: track, rawId: id } of tracks) {
      if (id !== null) this.claimId(seen, id, yaml.file, yaml.locate(["id"]), "track");
      if (!track) continue;
      const listed = new Set<string>();
      track.courses.forEach((courseId, index) => {
        const at = yaml.locate(["courses", index]);
        if (listed.has(courseId))
          this.error("duplicate-id", yaml.file, at, `The course "${courseId}" is listed twice`, "List each course once.");
        listed.add(courseId);
        if (!knownCourses.has(courseId))
          this.error(
            "unknown-course",
            yaml.file,
            at,
            `The course "${courseId}" does not exist`,
            `Use the id of a folder under courses/: ${[...knownCourses].join(", ") || "(none)"}.`,
          );
      });

      const trackCourses = courses.filter((c) => listed.has(c.folder) || (c.rawId !== null && listed.has(c.rawId)));
      const blueprintDomains = new Set<string>();
      track.exam.blueprint.forEach(({ domain, count }, index) => {
        if (blueprintDomains.has(domain)) {
          this.error(
            "duplicate-id",
            yaml.file,
            yaml.locate(["exam", "blueprint", index, "domain"]),
            `The domain "${domain}" appears twice in the blueprint`,
            "Give each domain one line with its total count.",
          );
          return;
        }
        blueprintDomains.add(domain);
        if (!domainIds.has(domain)) {
          this.error(
            "unknown-domain",
            yaml.file,
            yaml.locate(["exam", "blueprint", index, "domain"]),
            `The blueprint domain "${domain}" is not in domains.yaml`,
            "Use a domain id from domains.yaml.",
          );
          return;
        }
        const held = trackCourses.reduce(
          (sum, c) => sum + c.questions.filter((q) => isExamItem(q.raw) && (q.raw as { domain?: unknown }).domain === domain).length,
          0,
        );
        const banks = trackCourses.map((c) => c.folder).join(", ") || "(no courses)";
        const at = yaml.locate(["exam", "blueprint", index, "count"]);
        if (count > held) {
          this.error(
            "blueprint-too-large",
            yaml.file,
            at,
            `The blueprint draws ${count} questions of ${domain}, but the banks of ${banks} hold only ${held} exam questions`,
            `Add at least ${count - held} question${
              count - held === 1 ? "" : "s"
            } of ${domain} to these banks, or lower the count to ${held}.`,
          );
        } else if (held < count * 2) {
          this.error(
            "blueprint-repeats",
            yaml.file,
            at,
            `The blueprint draws ${count} questions of ${domain} from only ${held} exam questions: a retake would repeat most of them`,
            `Hold at least ${count * 2} exam questions (use: exam) of ${domain} in the banks of ${banks}.`,
          );
        } else if (held < count * POOL_FACTOR) {
          this.warn(
            "exam-pool-thin",
            yaml.file,
            at,
            `The blueprint draws ${count} questions of ${domain} from ${held} exam questions: fewer than ${POOL_FACTOR} attempts without repeats`,
            `Hold at least ${count * POOL_FACTOR} exam questions (use: exam) of ${domain} in the banks of ${banks} (${count * POOL_FACTOR - held} more).`,
          );
        }
      });
      track.exam.minimums.forEach((minimum, index) => {
        minimum.domains.forEach((domain, d) => {
          if (blueprintDomains.has(domain)) return;
          this.error(
            "minimums-domain",
            yaml.file,
            yaml.locate(["exam", "minimums", index, "domains", d]),
            `The minimum covers "${domain}", which the blueprint does not draw from`,
            `Use domains of the blueprint: ${[...blueprintDomains].join(", ")}.`,
          );
        });
      });
    }
  }

  private checkTools(tools: { yaml: YamlFile; data: ToolFile | null; rawId: string | null }[], trackIds: Set<string>) {
    const seen = new Map<string, string>();
    for (const { yaml, data: tool, rawId: id } of tools) {
      if (id !== null) this.claimId(seen, id, yaml.file, yaml.locate(["id"]), "tool");
      tool?.requiredTracks.forEach((trackId, index) => {
        if (trackIds.has(trackId)) return;
        this.error(
          "unknown-track",
          yaml.file,
          yaml.locate(["requiredTracks", index]),
          `The track "${trackId}" does not exist`,
          `Use the id of a file under tracks/: ${[...trackIds].join(", ") || "(none)"}.`,
        );
      });
    }
  }

  /** An <Org> needs organisation.yaml: without it, every use is an error. */
  private checkOrgWithoutFile(courses: CourseFolder[]) {
    for (const c of courses)
      for (const pair of c.lessons)
        for (const lesson of Object.values(pair.files))
          for (const ref of lesson.compiled.references) {
            if (ref.kind !== "Org") continue;
            this.error(
              "missing-file",
              lesson.file,
              ref,
              `<Org value="${ref.id}"> needs ${ORGANISATION_FILE}, which is missing`,
              `Create ${ORGANISATION_FILE} with the company's values in both languages (see docs/content-format.md), or remove the <Org>.`,
            );
          }
  }

  /** Keys that give themselves away by their length (see question-stats.ts for the definitions). */
  private checkKeyCues(stats: QuestionStats, courses: CourseFolder[]) {
    const where = new Map<string, { bank: YamlFile; index: number; keyIndex: number }>();
    for (const c of courses) {
      if (!c.bank) continue;
      for (const q of c.questions) {
        if (q.data?.type !== "single") continue;
        const answer = q.data.answer;
        where.set(q.data.id, { bank: c.bank, index: q.index, keyIndex: q.data.options.findIndex((o) => o.id === answer) });
      }
    }
    for (const bank of stats.banks) {
      const folder = courses.find((c) => c.folder === bank.courseId);
      if (!folder?.bank) continue;
      for (const lang of LANGS) {
        if (!overKeyLongestLimit(bank, lang)) continue;
        this.warn(
          "key-longest-share",
          folder.bank.file,
          folder.bank.locate(["questions"], "key"),
          `In ${bank.keyLongest[lang]} of ${bank.single} single-choice questions (${percent(bank.keyLongestShare[lang])}) the ${LANG_NAME[lang]} key is the longest option; the limit is ${percent(KEY_LONGEST_LIMIT)}`,
          "Learners who pick the longest option should not pass: lengthen distractors with plausible detail or shorten keys (npm run content:stats lists the banks).",
        );
      }
      for (const cue of bank.muchLonger) {
        const at = where.get(cue.id);
        if (!at) continue;
        this.warn(
          "key-much-longer",
          at.bank.file,
          at.bank.locate(["questions", at.index, "options", at.keyIndex, "text", cue.lang]),
          `The ${LANG_NAME[cue.lang]} key of question ${cue.id} is much longer than every distractor (${cue.key} characters against at most ${cue.distractor})`,
          `Give the distractors comparable detail, or shorten the key: it should be under ${MUCH_LONGER.ratio}× the longest distractor or less than ${MUCH_LONGER.extra[cue.lang]} characters longer.`,
        );
      }
    }
  }

  private checkTerminology(terminology: Terminology, terminologyFile: string) {
    const report = (file: string, hit: LocatedHit) =>
      this.warn(
        "terminology",
        file,
        hit,
        `"${hit.found}" is a variant to avoid: write "${hit.preferred}"`,
        `The preferred terms are in ${TERMINOLOGY_FILE} (concept ${hit.concept}); a variant inside a longer accepted phrase can be listed under its allow.`,
      );
    for (const yaml of this.yamlFiles) {
      if (yaml.file === terminologyFile || yaml.file === ORGANISATION_FILE) continue;
      for (const hit of yamlVariants(yaml.raw, yaml.text, yaml.locate, terminology)) report(yaml.file, hit);
    }
    for (const lesson of this.lessonFiles) {
      const spans = [...lesson.compiled.prose];
      // The title and summary of the frontmatter: from the value to the end of its line.
      const lineStarts = [0];
      for (let i = lesson.text.indexOf("\n"); i !== -1; i = lesson.text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
      for (const key of ["title", "summary"]) {
        const frontmatter = lesson.compiled.frontmatter as Record<string, unknown> | null;
        if (typeof frontmatter?.[key] !== "string") continue;
        const at = lesson.compiled.locateFrontmatter([key]);
        const start = (lineStarts[at.line - 1] ?? 0) + at.column - 1;
        const end = lineStarts[at.line] ?? lesson.text.length;
        if (end > start) spans.push({ start, end });
      }
      for (const hit of lessonVariants(lesson.text, spans, lesson.lang, terminology)) report(lesson.file, hit);
    }
  }

  // -- the bundle -------------------------------------------------------------------------------------

  private bundle(
    domainEntries: Entry<z.infer<typeof domainSchema>>[],
    termEntries: Entry<z.infer<typeof glossaryTermSchema>>[],
    folders: CourseFolder[],
    trackFiles: { data: TrackFile | null }[],
    toolFiles: { data: ToolFile | null }[],
    organisation: OrganisationValues | null,
  ): ContentBundle {
    const domains: Domain[] = domainEntries.flatMap((e) => (e.data ? [e.data] : []));
    const glossary: GlossaryTerm[] = termEntries.flatMap((e) => (e.data ? [e.data] : []));
    const courses: Course[] = [];
    const lessons: Lesson[] = [];
    const questions: Question[] = [];

    for (const folder of folders) {
      const course = folder.course!;
      courses.push({ id: course.id, title: course.title, summary: course.summary, lessons: [...course.lessons] });
      course.lessons.forEach((lessonId, position) => {
        const pair = folder.lessons.find((p) => p.id === lessonId)!;
        const en = pair.files.en!;
        const ja = pair.files.ja!;
        lessons.push({
          id: lessonId,
          courseId: course.id,
          position,
          title: { en: en.meta!.title, ja: ja.meta!.title },
          summary: { en: en.meta!.summary, ja: ja.meta!.summary },
          minutes: Math.max(en.meta!.minutes, ja.meta!.minutes),
          body: organisation
            ? { en: resolveOrganisation(en.compiled.tree, organisation, "en"), ja: resolveOrganisation(ja.compiled.tree, organisation, "ja") }
            : { en: en.compiled.tree, ja: ja.compiled.tree },
          knowledgeChecks: [...en.compiled.knowledgeChecks],
          sourceHash: { en: sha256(en.source), ja: sha256(ja.source) },
          files: { en: en.file, ja: ja.file },
        });
      });
      for (const entry of folder.questions) {
        const q = entry.data!;
        const options = q.type === "truefalse" ? [] : q.options.map((o) => ({ id: o.id, text: o.text }));
        const answer = q.type === "single" ? [q.answer] : q.type === "multiple" ? [...q.answer] : [String(q.answer)];
        const question = {
          id: q.id,
          courseId: course.id,
          use: q.use,
          domain: q.domain,
          lesson: q.lesson,
          type: q.type,
          stem: q.stem,
          options,
          answer,
          explanation: q.explanation,
          hint: q.hint ?? null,
        };
        questions.push({ ...question, sourceHash: { en: questionHash(question, "en"), ja: questionHash(question, "ja") } });
      }
    }

    const tracks: Track[] = trackFiles.map(({ data }) => {
      const t = data!;
      return {
        id: t.id,
        title: t.title,
        summary: t.summary,
        courses: [...t.courses],
        exam: {
          ...t.exam,
          minimums: t.exam.minimums.map((m) => ({ domains: [...m.domains], percent: m.percent })),
          blueprint: t.exam.blueprint.map((b) => ({ ...b })),
        },
        validityMonths: t.validityMonths,
        recertificationWindowDays: t.recertificationWindowDays,
      };
    });
    const tools: Tool[] = toolFiles.map(({ data }) => {
      const t = data!;
      return {
        id: t.id,
        name: t.name,
        vendor: t.vendor,
        description: t.description,
        dataClass: t.dataClass,
        requiredTracks: [...t.requiredTracks],
        guidance: t.guidance ?? null,
      };
    });

    return { domains, glossary, courses, lessons, questions, tracks, tools, ...(organisation ? { organisation } : {}) };
  }
}

// ----------------------------------------------------------------------------------------------------

const START: Position = { line: 1, column: 1 };
const TERMINOLOGY_FILE = "terminology.yaml";
const ORGANISATION_FILE = "organisation.yaml";

/** A bank entry that blueprints may draw: `use` left out or `exam` (practice questions never are). */
function isExamItem(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  const use = (value as { use?: unknown }).use;
  return use === undefined || use === "exam";
}

/** The valid questions of every bank, for the statistics (the course is its folder). */
export function statsQuestions(courses: { folder: string; questions: Entry<QuestionEntry>[] }[]): StatsQuestion[] {
  return courses.flatMap((c) =>
    c.questions.flatMap(({ data: q }) =>
      q
        ? [
            {
              id: q.id,
              courseId: c.folder,
              use: q.use,
              domain: q.domain,
              type: q.type,
              options: q.type === "truefalse" ? [] : q.options,
              answer: q.type === "single" ? [q.answer] : q.type === "multiple" ? [...q.answer] : [String(q.answer)],
            },
          ]
        : [],
    ),
  );
}

function rawId(value: unknown): string | null {
  const id = value && typeof value === "object" ? (value as Record<string, unknown>).id : undefined;
  return typeof id === "string" ? id : null;
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}


function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) =>
    a.file === b.file ? a.line - b.line || a.column - b.column : a.file === "." ? -1 : b.file === "." ? 1 : a.file < b.file ? -1 : 1,
  );
}
