/**
 * The zod schemas of every file in content/, as documented in docs/content-format.md. Pure: no file
 * system. Objects are strict so a misspelt key is reported instead of silently ignored.
 *
 * Cross-file rules (an id used twice, a question naming an unknown domain, a blueprint asking for more
 * questions than the banks hold, …) need the whole folder and live in load.server.ts.
 */
import { z } from "zod";

// In a module without zod, so the lesson renderer can check ids without shipping zod to browsers.
import { ID_PATTERN } from "./id-pattern";
export { ID_PATTERN };

export const idSchema = z
  .string({ invalid_type_error: "must be text (an id such as genai-basics)" })
  .regex(ID_PATTERN, "must be a lower-case kebab-case id (a-z, 0-9 and single hyphens)");

const nonEmptyText = z.string({ invalid_type_error: "must be text" }).refine((value) => value.trim().length > 0, "must not be empty");

/** Every piece of text a learner sees, in both languages. */
export const localizedSchema = z.object({ en: nonEmptyText, ja: nonEmptyText }).strict();

/** Titles and names are shown in headings, lists, menus and certificates: a line, not a paragraph. */
export const TITLE_MAX = 200;
const titleText = nonEmptyText.refine((value) => [...value].length <= TITLE_MAX, `must be at most ${TITLE_MAX} characters (a title, not a paragraph)`);
export const localizedTitleSchema = z.object({ en: titleText, ja: titleText }).strict();

const wholeNumber = (min: number, max: number) =>
  z
    .number({ invalid_type_error: "must be a number" })
    .int("must be a whole number")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** Adds an error at `[...path, index]` for every entry of `ids` already seen earlier in the list. */
function refineUnique<T>(
  items: T[],
  idOf: (item: T) => unknown,
  ctx: z.RefinementCtx,
  path: (index: number) => (string | number)[],
  what: string,
) {
  const seen = new Set<unknown>();
  items.forEach((item, index) => {
    const id = idOf(item);
    if (seen.has(id)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: path(index),
        message: `${what} "${String(id)}" is listed twice`,
        params: { hint: `Give each ${what} a different id.` },
      });
    }
    seen.add(id);
  });
}

// domains.yaml ---------------------------------------------------------------------------------------
export const domainSchema = z.object({ id: idSchema, name: localizedTitleSchema }).strict();
export const domainsFileSchema = z.object({ domains: z.array(domainSchema).min(1, "must list at least one domain") }).strict();

// glossary.yaml --------------------------------------------------------------------------------------
export const glossaryTermSchema = z.object({ id: idSchema, term: localizedTitleSchema, definition: localizedSchema }).strict();
export const glossaryFileSchema = z.object({ terms: z.array(glossaryTermSchema) }).strict();

// courses/<course-id>/course.yaml ------------------------------------------------------------------------
export const courseSchema = z
  .object({
    id: idSchema,
    title: localizedTitleSchema,
    summary: localizedSchema,
    lessons: z.array(idSchema).min(1, "must list at least one lesson"),
  })
  .strict();

// lesson frontmatter (<nn>-<slug>.<lang>.mdx) -----------------------------------------------------------
export const lessonFrontmatterSchema = z
  .object({
    id: idSchema,
    title: titleText,
    minutes: wholeNumber(1, 60),
    summary: nonEmptyText,
  })
  .strict();

// courses/<course-id>/questions.yaml ---------------------------------------------------------------------
export const OPTION_IDS = ["a", "b", "c", "d", "e"] as const;
const optionIdSchema = z.enum(OPTION_IDS);

export const optionSchema = z.object({ id: optionIdSchema, text: localizedSchema }).strict();

const optionsSchema = z
  .array(optionSchema)
  .min(3, "must have at least 3 options")
  .max(5, "must have at most 5 options (ids a to e)")
  .superRefine((options, ctx) =>
    refineUnique(
      options,
      (o) => o.id,
      ctx,
      (i) => [i, "id"],
      "option",
    ),
  );

/** `exam` questions are drawn by blueprints and never shown in lessons; `practice` ones are for knowledge checks. */
export const QUESTION_USES = ["exam", "practice"] as const;

const questionBase = {
  id: idSchema,
  use: z.enum(QUESTION_USES, { errorMap: () => ({ message: "must be exam or practice" }) }).default("exam"),
  domain: idSchema,
  lesson: idSchema,
  stem: localizedSchema,
  explanation: localizedSchema,
  /** Shown after a wrong answer to a practice question: a nudge back to the lesson that does not give the key away. */
  hint: localizedSchema.optional(),
};

export const singleQuestionSchema = z
  .object({ ...questionBase, type: z.literal("single"), options: optionsSchema, answer: optionIdSchema })
  .strict();

export const multipleQuestionSchema = z
  .object({
    ...questionBase,
    type: z.literal("multiple"),
    options: optionsSchema,
    answer: z
      .array(optionIdSchema, { invalid_type_error: "must be a list of option ids, e.g. [a, c]" })
      .min(2, "must list at least 2 option ids (a multiple-choice question has several right answers)")
      .superRefine((answer, ctx) =>
        refineUnique(
          answer,
          (a) => a,
          ctx,
          (i) => [i],
          "answer",
        ),
      ),
  })
  .strict();

export const trueFalseQuestionSchema = z
  .object({
    ...questionBase,
    type: z.literal("truefalse"),
    options: z.never({ invalid_type_error: "must be left out: a truefalse question has no options" }).optional(),
    answer: z.boolean({ invalid_type_error: "must be true or false" }),
  })
  .strict();

export const questionSchema = z.discriminatedUnion("type", [singleQuestionSchema, multipleQuestionSchema, trueFalseQuestionSchema]);
export const questionsFileSchema = z.object({ questions: z.array(questionSchema) }).strict();

// tracks/<track-id>.yaml ---------------------------------------------------------------------------------
export const trackSchema = z
  .object({
    id: idSchema,
    title: localizedTitleSchema,
    summary: localizedSchema,
    courses: z.array(idSchema).min(1, "must list at least one course"),
    exam: z
      .object({
        timeLimitMinutes: wholeNumber(1, 600),
        passPercent: wholeNumber(1, 100),
        minimums: z
          .array(z.object({ domains: z.array(idSchema).min(1, "must list at least one domain"), percent: wholeNumber(1, 100) }).strict())
          .default([]),
        attempts: wholeNumber(1, 100),
        retakeWaitHours: wholeNumber(0, 8760),
        blueprint: z
          .array(z.object({ domain: idSchema, count: wholeNumber(1, 500) }).strict())
          .min(1, "must draw questions from at least one domain"),
      })
      .strict(),
    validityMonths: wholeNumber(1, 120),
    recertificationWindowDays: wholeNumber(0, 3650),
  })
  .strict();

// tools/<tool-id>.yaml -----------------------------------------------------------------------------------
export const DATA_CLASSES = ["public", "internal", "confidential"] as const;
export const toolSchema = z
  .object({
    id: idSchema,
    name: localizedTitleSchema,
    vendor: localizedSchema,
    description: localizedSchema,
    dataClass: z.enum(DATA_CLASSES),
    requiredTracks: z.array(idSchema).min(1, "must name at least one certification track"),
    guidance: localizedSchema.optional(),
  })
  .strict();

export type DomainsFile = z.infer<typeof domainsFileSchema>;
export type GlossaryFile = z.infer<typeof glossaryFileSchema>;
export type CourseFile = z.infer<typeof courseSchema>;
export type LessonFrontmatter = z.infer<typeof lessonFrontmatterSchema>;
export type QuestionEntry = z.infer<typeof questionSchema>;
export type QuestionsFile = z.infer<typeof questionsFileSchema>;
export type TrackFile = z.infer<typeof trackSchema>;
export type ToolFile = z.infer<typeof toolSchema>;
