import { describe, expect, it } from "vitest";
import { nextStepsAfterCourse } from "~/learning/next-steps";

const tracks = [
  { id: "safe", courses: ["basics", "safe-use"] },
  { id: "prac", courses: ["basics", "safe-use", "advanced"] },
  { id: "other", courses: ["advanced"] },
];
const published = new Set(["basics", "safe-use", "advanced"]);

describe("what comes after finishing a course", () => {
  it("names the next course still to complete in each track the course counts towards", () => {
    expect(nextStepsAfterCourse("basics", tracks, new Set(["basics"]), published)).toEqual([
      { kind: "course", trackId: "safe", courseId: "safe-use", coursesLeft: 1 },
      { kind: "course", trackId: "prac", courseId: "safe-use", coursesLeft: 2 },
    ]);
  });

  it("points to the track's exam once every course of it is complete", () => {
    expect(nextStepsAfterCourse("safe-use", tracks, new Set(["basics", "safe-use"]), published)).toEqual([
      { kind: "exam", trackId: "safe" },
      { kind: "course", trackId: "prac", courseId: "advanced", coursesLeft: 1 },
    ]);
  });

  it("ignores courses the release does not publish, and says nothing for a course outside every track", () => {
    expect(nextStepsAfterCourse("safe-use", tracks, new Set(["basics", "safe-use"]), new Set(["basics", "safe-use"]))).toEqual([
      { kind: "exam", trackId: "safe" },
      { kind: "exam", trackId: "prac" },
    ]);
    expect(nextStepsAfterCourse("elsewhere", tracks, new Set(["elsewhere"]), published)).toEqual([]);
  });
});
