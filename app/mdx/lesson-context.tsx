import { createContext, useContext } from "react";

/** What the lesson's components need besides the tree: localized, answer-free data. */
export type LessonQuestion = {
  id: string;
  type: "single" | "multiple" | "truefalse";
  stem: string;
  options: { id: string; text: string }[];
};
export type LessonTerm = { id: string; term: string; definition: string };

export type LessonContextValue = {
  questions: Record<string, LessonQuestion>;
  terms: Record<string, LessonTerm>;
  /** Questions this person has already answered right (the check shows as done). */
  answeredCorrectly: string[];
  /** Where knowledge-check answers are posted; null in previews (checks are shown but not answerable). */
  answerAction: string | null;
  /**
   * The body's release, lesson and language (`${release}:${lesson}:${lang}`): given, the server renders the
   * body to HTML once per key and reuses it (app/mdx/prerendered.ts). Previews leave it out.
   */
  bodyKey?: string;
};

const LessonContext = createContext<LessonContextValue>({ questions: {}, terms: {}, answeredCorrectly: [], answerAction: null });
export const LessonProvider = LessonContext.Provider;
export const useLesson = () => useContext(LessonContext);
