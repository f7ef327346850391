import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// The server matches routes with @remix-run/router's CommonJS build, patched by patch-package
// (patches/@remix-run+router+*.patch) to compile each path's matcher once and to rank a route tree's
// branches once. These check that matching is unchanged by the caches: the same path compiled with other
// options, and the same tree matched again.
const require = createRequire(import.meta.url);
const router = require("@remix-run/router") as typeof import("@remix-run/router");

describe("the patched route matching", () => {
  it("is applied to the CommonJS build the server loads", () => {
    const file = require.resolve("@remix-run/router");
    expect(require("node:fs").readFileSync(file, "utf8")).toContain("function rankedBranchesOf(routes)");
  });

  it("keeps case sensitivity and end apart for the same path", () => {
    expect(router.matchPath({ path: "/Learn/:id", caseSensitive: true }, "/learn/x")).toBeNull();
    expect(router.matchPath({ path: "/Learn/:id" }, "/learn/x")?.params).toEqual({ id: "x" });
    expect(router.matchPath({ path: "/Learn/:id", caseSensitive: true }, "/learn/x")).toBeNull();
    expect(router.matchPath({ path: "/learn", end: false }, "/learn/x/y")?.pathnameBase).toBe("/learn");
    expect(router.matchPath({ path: "/learn" }, "/learn/x/y")).toBeNull();
    expect(router.matchPath({ path: "/learn", end: false }, "/learn/x/y")?.pathnameBase).toBe("/learn");
  });

  it("matches the same route tree the same way every time, and sees a route patched in", () => {
    const routes = [
      { id: "root", path: "/", children: [
        { id: "learn", path: "learn/:courseId/:lessonId" },
        { id: "course", path: "learn/:courseId" },
        { id: "splat", path: "*" },
      ] },
    ];
    const ids = (path: string) => router.matchRoutes(routes, path)?.map((m) => m.route.id);
    for (let i = 0; i < 3; i++) {
      expect(ids("/learn/a/b")).toEqual(["root", "learn"]);
      expect(ids("/learn/a")).toEqual(["root", "course"]);
      expect(ids("/hr")).toEqual(["root", "splat"]);
    }
    const data = router.createRouter({
      routes,
      history: router.createMemoryHistory({ initialEntries: ["/"] }),
    });
    expect(router.matchRoutes(data.routes, "/hr")?.map((m) => m.route.id)).toEqual(["root", "splat"]);
    data.patchRoutes("root", [{ id: "hr", path: "hr" }]);
    expect(router.matchRoutes(data.routes, "/hr")?.map((m) => m.route.id)).toEqual(["root", "hr"]);
    expect(router.matchRoutes(data.routes, "/learn/a")?.map((m) => m.route.id)).toEqual(["root", "course"]);
    data.dispose();
  });
});
