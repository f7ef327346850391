/**
 * The shapes shared by the content checker (load + validate + compile), the publisher and the
 * renderer. Pure types: no runtime code.
 */
import type { OrganisationValues } from "~/content/organisation";
import type { QuestionStats } from "~/content/question-stats";
import type { Language } from "~/i18n/languages";

export type { Language };
export type Localized = { en: string; ja: string };

/** A lesson body after the safe MDX compile: plain data, never code. */
export type MdxNode = MdxText | MdxElement;
export type MdxText = { type: "text"; value: string };
export type MdxElement = {
  type: "element";
  /** A lower-case HTML tag from the allowlist (p, h2, ul, a, strong, table, wbr, …) or an allowlisted component (Callout, Term, …). */
  name: string;
  /** Literal props only: strings, numbers, booleans. */
  props: Record<string, string | number | boolean>;
  children: MdxNode[];
};

export type Problem = {
  severity: "error" | "warning";
  /** A stable code for the kind of problem, e.g. "schema", "missing-translation", "unknown-component". */
  code: string;
  /** Path relative to the content folder, e.g. "courses/safe-use/questions.yaml". */
  file: string;
  line: number;
  column: number;
  message: string;
  /** One line saying how to fix it. */
  hint: string;
};

export type Domain = { id: string; name: Localized };
export type GlossaryTerm = { id: string; term: Localized; definition: Localized };
export type Course = { id: string; title: Localized; summary: Localized; lessons: string[] };

export type Lesson = {
  id: string;
  courseId: string;
  /** Position in the course, from 0. */
  position: number;
  title: Localized;
  summary: Localized;
  minutes: number;
  body: { en: MdxNode[]; ja: MdxNode[] };
  /** Question ids of the KnowledgeCheck components, in order of appearance (same in both languages). */
  knowledgeChecks: string[];
  /** sha256 of each language's source file, to tell which language changed between releases. */
  sourceHash: { en: string; ja: string };
  /** Source file paths relative to content/, for messages and the preview. */
  files: { en: string; ja: string };
};

export type QuestionType = "single" | "multiple" | "truefalse";
export type QuestionUse = "exam" | "practice";
export type Question = {
  id: string;
  courseId: string;
  /** `practice` questions serve knowledge checks; `exam` questions are drawn by blueprints and never shown in lessons. */
  use: QuestionUse;
  domain: string;
  lesson: string;
  type: QuestionType;
  stem: Localized;
  /** Empty for truefalse. */
  options: { id: string; text: Localized }[];
  /** Option ids for single/multiple; ["true"] or ["false"] for truefalse. */
  answer: string[];
  explanation: Localized;
  /** Practice questions: a nudge shown after a wrong answer that does not give the key away. */
  hint: Localized | null;
  /** sha256 of each language's fields (stem, options, explanation), to detect stale translations. */
  sourceHash: { en: string; ja: string };
};

export type Track = {
  id: string;
  title: Localized;
  summary: Localized;
  courses: string[];
  exam: {
    timeLimitMinutes: number;
    passPercent: number;
    minimums: { domains: string[]; percent: number }[];
    attempts: number;
    retakeWaitHours: number;
    blueprint: { domain: string; count: number }[];
  };
  validityMonths: number;
  recertificationWindowDays: number;
};

export type DataClass = "public" | "internal" | "confidential";
export type Tool = {
  id: string;
  name: Localized;
  vendor: Localized;
  description: Localized;
  dataClass: DataClass;
  requiredTracks: string[];
  guidance: Localized | null;
};

/** Everything in content/, validated and compiled: what a release stores. */
export type ContentBundle = {
  domains: Domain[];
  glossary: GlossaryTerm[];
  courses: Course[];
  lessons: Lesson[];
  questions: Question[];
  tracks: Track[];
  tools: Tool[];
  /** The company's values of organisation.yaml; absent in releases made without one (the app's defaults apply). */
  organisation?: OrganisationValues;
};

export type CheckResult = {
  bundle: ContentBundle | null;
  problems: Problem[];
  /** Question-bank figures (npm run content:stats, the Authoring page), from the valid questions and tracks even when there are errors. */
  stats?: QuestionStats;
  /** The values of organisation.yaml when it is valid (also when other files have errors); null without one. */
  organisation?: OrganisationValues | null;
};
