import { describe, expect, it } from "vitest";
import { currentSection, placeUrl } from "~/ui/reading-place";

describe("the reader's place for a language switch", () => {
  const headings = [
    { id: "section-1", top: -900 },
    { id: "section-2", top: -200 },
    { id: "section-3", top: 400 },
    { id: "section-4", top: 1400 },
  ];

  it("is the last heading scrolled past (or just at the top of the window)", () => {
    expect(currentSection(headings)).toBe("section-2");
    expect(currentSection([...headings.slice(0, 2), { id: "section-3", top: 90 }, headings[3]!])).toBe("section-3");
  });

  it("is the top of the page while the reader is above the first heading", () => {
    expect(currentSection([{ id: "section-1", top: 500 }, { id: "section-2", top: 1200 }])).toBeNull();
    expect(currentSection([])).toBeNull();
  });

  it("is the last section at the end of a page", () => {
    expect(currentSection(headings.map((h) => ({ ...h, top: h.top - 3000 })))).toBe("section-4");
  });

  it("comes back to the same path with the section as fragment", () => {
    expect(placeUrl("/learn/genai-basics/genai-what-is-it", "section-3")).toBe("/learn/genai-basics/genai-what-is-it#section-3");
    expect(placeUrl("/learn?x=1", null)).toBe("/learn?x=1");
  });
});
