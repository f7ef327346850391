/**
 * What a learner who has finished a course should do next, per certification track the course counts
 * towards: the next course of the track still to complete, or the track's exam once every course is
 * complete. Pure: the course page passes the tracks and the learner's course statuses.
 */
export type CourseNextStep =
  | { kind: "exam"; trackId: string }
  | { kind: "course"; trackId: string; courseId: string; coursesLeft: number };

export function nextStepsAfterCourse(
  courseId: string,
  tracks: readonly { id: string; courses: readonly string[] }[],
  completeCourses: ReadonlySet<string>,
  publishedCourses: ReadonlySet<string>,
): CourseNextStep[] {
  const out: CourseNextStep[] = [];
  for (const track of tracks) {
    if (!track.courses.includes(courseId)) continue;
    const left = track.courses.filter((id) => publishedCourses.has(id) && !completeCourses.has(id));
    if (left.length === 0) out.push({ kind: "exam", trackId: track.id });
    else out.push({ kind: "course", trackId: track.id, courseId: left[0]!, coursesLeft: left.length });
  }
  return out;
}
