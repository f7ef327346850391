import { createRemixStub } from "@remix-run/testing";
import { createInstance } from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { describe, expect, it } from "vitest";
import { decideAccess, type NextStep } from "~/access/decision";
import { MyToolsPage, type MyToolView, type MyToolsView } from "~/access/my-tools";
import { endOfTokyoDay } from "~/certification/validity";
import { i18nConfig } from "~/i18n/config";

const NOW = new Date("2026-11-20T03:00:00.000Z");
const END = endOfTokyoDay({ year: 2026, month: 12, day: 31 }); // inside a 60-day window on NOW
const release = { number: 12, tracks: new Map([["t1", { recertificationWindowDays: 60 }]]) };
const RETAKE = "2026-12-01T15:30:00.000Z"; // 2 December, 00:30 in Tokyo
const ATTEMPT = "AbCdEfGhIjKlMnOpQrStUv";

function toolWith(id: string, decision: ReturnType<typeof decideAccess>): MyToolView {
  return {
    id,
    name: `Tool ${id}`,
    vendor: "In-house",
    description: `About ${id}.`,
    dataClass: "internal",
    guidance: ["First <b>rule</b>.", "Second rule."],
    decision,
  };
}

function locked(id: string, step: NextStep, certificates: { validUntil: Date; revokedAt: Date | null }[] = []) {
  return toolWith(
    id,
    decideAccess({
      person: { active: true },
      tool: { id, requiredTracks: ["t1"] },
      certificatesByTrack: new Map([["t1", certificates.map((c, i) => ({ id: `c-${id}-${i}`, number: `MNB-2026-00000${i}`, ...c }))]]),
      release,
      now: NOW,
      nextSteps: new Map([["t1", step]]),
    }),
  );
}

const view: MyToolsView = {
  release: 12,
  trackTitles: { t1: "Track One" },
  courseTitles: { c1: "Course One", c2: "Course Two" },
  tools: [
    locked("courses", { kind: "courses", courseIds: ["c1", "c2"] }),
    toolWith(
      "open",
      decideAccess({
        person: { active: true },
        tool: { id: "open", requiredTracks: ["t1"] },
        certificatesByTrack: new Map([["t1", [{ id: "c-open", number: "MNB-2026-000009", validUntil: END, revokedAt: null }]]]),
        release,
        now: NOW,
      }),
    ),
    locked("exam", { kind: "exam" }, [{ validUntil: new Date("2026-10-31T14:59:59.999Z"), revokedAt: null }]),
    locked("retake", { kind: "retake", opensAt: RETAKE }),
    locked("no-attempts", { kind: "no-attempts-left" }, [{ validUntil: END, revokedAt: new Date("2026-11-05T01:00:00.000Z") }]),
    locked("in-progress", { kind: "exam-in-progress", attemptId: ATTEMPT }),
    toolWith(
      "unknown",
      decideAccess({ person: { active: true }, tool: { id: "unknown", requiredTracks: ["gone"] }, certificatesByTrack: new Map(), release, now: NOW }),
    ),
  ],
};

async function render(language: "ja" | "en") {
  const i18n = createInstance();
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng: language });
  const Stub = createRemixStub([{ id: "root", path: "/", loader: () => ({ language }), Component: () => <MyToolsPage view={view} /> }]);
  const html = renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <Stub hydrationData={{ loaderData: { root: { language } } }} />
    </I18nextProvider>,
  );
  const doc = new CardReader().parseFromString(html, "text/html");
  const card = (id: string) => doc.querySelector(`[data-tool="${id}"]`)!;
  return { doc, card };
}

// The unit project runs without a DOM: cutting the markup at each card is enough for these assertions.
class CardReader {
  parseFromString(html: string, _type: string) {
    return {
      html,
      querySelector: (selector: string) => {
        const m = /^\[data-tool="([^"]+)"\]$/.exec(selector);
        if (!m) throw new Error(selector);
        const start = html.indexOf(`data-tool="${m[1]}"`);
        const open = html.lastIndexOf("<li", start);
        // Cards are sibling <li data-tool> elements: a card ends where the next one (or its list) ends.
        const next = html.indexOf("data-tool=", start + 1);
        const end = next === -1 ? html.length : html.lastIndexOf("<li", next);
        return { textContent: html.slice(open, end).replace(/<[^>]+>/g, ""), html: html.slice(open, end) };
      },
    };
  }
}

describe("My AI tools page", () => {
  it("groups the tools unlocked / locked and counts them", async () => {
    for (const language of ["ja", "en"] as const) {
      const { doc } = await render(language);
      const unlocked = doc.html.slice(doc.html.indexOf('data-testid="unlocked-tools"'), doc.html.indexOf('id="locked-heading"'));
      expect(unlocked).toContain('data-tool="open"');
      expect(unlocked).not.toContain('data-tool="courses"');
      const lockedPart = doc.html.slice(doc.html.indexOf('id="locked-heading"'));
      for (const id of ["courses", "exam", "retake", "no-attempts", "in-progress", "unknown"]) expect(lockedPart, id).toContain(`data-tool="${id}"`);
      expect(doc.html).toContain(language === "ja" ? "7件中1件のツールが利用できます" : "1 of 7 tools unlocked");
    }
  });

  it("an unlocked tool says until when and invites recertification inside the window, linking to the track", async () => {
    const { card } = await render("ja");
    const c = card("open");
    expect(c.textContent).toContain("2026年12月31日まで利用できます。");
    expect(c.textContent).toContain("Track Oneの更新受験ができるようになりました。");
    expect(c.html).toContain('href="/tracks/t1"');
    const en = (await render("en")).card("open");
    expect(en.textContent).toContain("You can use this tool until 31 December 2026.");
  });

  it("a locked tool names what is missing and links the next step: courses, exam, retake date in Tokyo, the open attempt", async () => {
    const { card } = await render("en");
    const courses = card("courses");
    expect(courses.html).toContain('href="/learn/c1"');
    expect(courses.html).toContain('href="/learn/c2"');
    expect(courses.textContent).toContain("Course One");
    expect(courses.textContent).toContain("Next: complete these courses, then take the exam.");
    expect(card("exam").html).toContain('href="/tracks/t1"');
    expect(card("exam").textContent).toContain("Your certificate expired on 31 October 2026.");
    // 15:30 UTC on 1 December is 00:30 on 2 December in Tokyo.
    expect(card("retake").textContent).toContain("Next: you can retake the exam from 2 Dec 2026, 00:30 JST.");
    expect(card("no-attempts").textContent).toContain("Please contact HR");
    expect(card("no-attempts").textContent).toContain("Your certificate was revoked on 5 November 2026.");
    expect(card("in-progress").html).toContain(`href="/exams/${ATTEMPT}"`);
    expect(card("unknown").textContent).toContain("Certification not offered (gone)");
    expect(card("unknown").textContent).toContain("Please contact the AI CoE.");
    const ja = (await render("ja")).card("retake");
    expect(ja.textContent).toContain("次のステップ：2026/12/02 0:30（日本時間）から再受験できます。");
  });

  it("shows the data class in words and the guidance as list items, as text", async () => {
    const { card } = await render("ja");
    const c = card("courses");
    expect(c.textContent).toContain("社外秘");
    expect(c.textContent).toContain("「公開」と「社外秘」の情報まで入力できます。");
    expect(c.html).toContain("<li>First &lt;b&gt;rule&lt;/b&gt;.</li>");
    expect(c.html).toContain("<li>Second rule.</li>");
  });
});
