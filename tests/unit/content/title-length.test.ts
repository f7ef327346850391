import { describe, expect, it } from "vitest";
import { courseSchema, lessonFrontmatterSchema, TITLE_MAX, toolSchema, trackSchema } from "~/content/schemas";

const long = "長".repeat(TITLE_MAX + 1);
const fits = "長".repeat(TITLE_MAX);

describe("titles are a line, not a paragraph", () => {
  it("refuses a lesson title longer than the limit, counting characters (not bytes)", () => {
    const lesson = (title: string) => lessonFrontmatterSchema.safeParse({ id: "l1", title, minutes: 5, summary: "s" });
    expect(lesson(fits).success).toBe(true);
    const refused = lesson(long);
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]!.message).toContain(`at most ${TITLE_MAX} characters`);
    expect(lesson("x".repeat(10_000)).success).toBe(false);
  });
  it("refuses over-long course titles in either language", () => {
    const course = (en: string, ja: string) => courseSchema.safeParse({ id: "c1", title: { en, ja }, summary: { en: "s", ja: "s" }, lessons: ["l1"] });
    expect(course("Course", fits).success).toBe(true);
    expect(course("Course", long).error!.issues[0]!.path).toEqual(["title", "ja"]);
    expect(course("x".repeat(TITLE_MAX + 1), "コース").error!.issues[0]!.path).toEqual(["title", "en"]);
  });
  it("applies to track titles and tool names too", () => {
    expect(trackSchema.shape.title.safeParse({ en: long, ja: "t" }).success).toBe(false);
    expect(toolSchema.shape.name.safeParse({ en: "Tool", ja: long }).success).toBe(false);
  });
});
