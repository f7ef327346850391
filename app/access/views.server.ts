import type { Language } from "~/content/types";
import { toolDecisions } from "./decisions.server";
import { guidanceItems } from "./guidance";
import type { MyToolsView } from "./my-tools";

/**
 * "My AI tools": every approved tool of the current release in the reader's language, with the access
 * decision and its next steps. Null when the person no longer exists (the session guard prevents it).
 */
export async function myToolsView(userId: string, lang: Language, now = new Date()): Promise<MyToolsView | null> {
  const result = await toolDecisions(userId, { now, nextSteps: true });
  if (result.kind === "no-release") throw new Response("No content release yet", { status: 503, statusText: "no-release" });
  if (result.kind === "unknown-person") return null;
  const { release, decisions } = result;
  const trackTitles: Record<string, string> = {};
  const courseTitles: Record<string, string> = {};
  for (const d of decisions) {
    for (const t of d.tracks) {
      const track = release.tracks.get(t.trackId);
      if (track) trackTitles[t.trackId] = track.title[lang];
      if (t.missing?.kind === "courses") {
        for (const id of t.missing.courseIds) {
          const course = release.courses.get(id);
          if (course) courseTitles[id] = course.title[lang];
        }
      }
    }
  }
  return {
    release: release.number,
    tools: release.bundle.tools.map((tool, i) => ({
      id: tool.id,
      name: tool.name[lang],
      vendor: tool.vendor[lang],
      description: tool.description[lang],
      dataClass: tool.dataClass,
      guidance: guidanceItems(tool.guidance?.[lang]),
      decision: decisions[i]!,
    })),
    trackTitles,
    courseTitles,
  };
}
