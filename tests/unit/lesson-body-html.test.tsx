import { describe, expect, it } from "vitest";
import { createBodyHtmlCache } from "~/mdx/body-html.server";
import { parseProgressJson } from "~/learning/progress.server";

describe("the server's cache of rendered lesson bodies", () => {
  it("renders a body once per key and serves it again from memory", () => {
    const cache = createBodyHtmlCache(10);
    let renders = 0;
    const body = (text: string) => () => {
      renders++;
      return <p>{text}</p>;
    };
    expect(cache.html("1:l1:ja", body("一"))).toBe("<p>一</p>");
    expect(cache.html("1:l1:ja", body("changed"))).toBe("<p>一</p>");
    expect(cache.html("1:l1:en", body("one"))).toBe("<p>one</p>");
    expect(renders).toBe(2);
  });

  it("keeps the most recently used bodies up to its size", () => {
    const cache = createBodyHtmlCache(2);
    cache.html("a", () => <p>a</p>);
    cache.html("b", () => <p>b</p>);
    cache.html("a", () => <p>a again</p>); // used: "b" is now the oldest
    cache.html("c", () => <p>c</p>);
    expect(cache.size()).toBe(2);
    expect(cache.html("a", () => <p>a rendered again</p>)).toBe("<p>a</p>");
    expect(cache.html("b", () => <p>b rendered again</p>)).toBe("<p>b rendered again</p>");
  });
});

describe("a learner's progress read as one JSON value", () => {
  const value = {
    rows: [
      ["l1", 1764514800123, 1764514900456, null],
      ["l2", 1764515000000, null, null],
    ],
    correct: ["q1", "q2"],
  };
  const expected = {
    byLesson: new Map([
      ["l1", { lessonId: "l1", startedAt: new Date(1764514800123), readAt: new Date(1764514900456), completedAt: null }],
      ["l2", { lessonId: "l2", startedAt: new Date(1764515000000), readAt: null, completedAt: null }],
    ]),
    correct: new Set(["q1", "q2"]),
  };

  it("gives the rows by lesson with dates, and the set of questions answered right", () => {
    expect(parseProgressJson(value)).toEqual(expected);
  });

  it("takes the value as a driver hands it over: parsed, or as JSON text", () => {
    expect(parseProgressJson(JSON.stringify(value))).toEqual(expected);
    expect(parseProgressJson({ rows: [], correct: [] })).toEqual({ byLesson: new Map(), correct: new Set() });
  });
});
