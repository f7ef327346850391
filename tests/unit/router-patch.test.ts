import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// The server matches routes with @remix-run/router's CommonJS build, patched by patch-package
// (patches/@remix-run+router+*.patch) to compile each path's matcher once and to rank a route tree's
// branches once per shape of route tree, and to pass over branches whose literal start the path lacks.
// These check that matching is unchanged by the caches: the same path compiled with other options, the
// same tree and trees of the same shape matched again, against the package's unpatched build.
const require = createRequire(import.meta.url);
const router = require("@remix-run/router") as typeof import("@remix-run/router");
// The package's ES module build is not patched: the original matching, to compare with.
const original = (await import(require.resolve("@remix-run/router").replace(/router\.cjs\.js$/, "router.js"))) as typeof import("@remix-run/router");

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

  it("passes over branches by their literal start exactly when the original matching finds no match in them", () => {
    const tree = () => [
      { id: "root", path: "", children: [
        { id: "home", index: true },
        { id: "learn", path: "learn", children: [
          { id: "learn-index", index: true },
          { id: "course", path: ":courseId" },
          { id: "lesson", path: ":courseId/:lessonId" },
        ] },
        { id: "hr", path: "HR" },
        { id: "hr-import", path: "hr/import" },
        { id: "hr-person", path: "hr/people/:personId/edit" },
        { id: "case", path: "Admin/Tokens", caseSensitive: true },
        { id: "optional", path: "reports/:year?/summary" },
        { id: "optional-static", path: "tools/catalog?/:toolId" },
        { id: "dots", path: "files/v1.2/readme.txt" },
        { id: "api", path: "api/v1/*" },
        { id: "unicode", path: "学び/:id" },
        { id: "layout", children: [{ id: "account", path: "account/password" }] },
        { id: "splat", path: "*" },
      ] },
    ];
    const paths = [
      "/", "/learn", "/learn/", "/LEARN/genai", "/learn/genai/lesson-1", "/learn/genai/lesson-1/", "/learn//genai",
      "/learnx", "/learn-more", "/hr", "/Hr/", "/hr/import", "/HR/IMPORT", "/hr/importx", "/hr/people/p1/edit",
      "/hr/people//edit", "/Admin/Tokens", "/admin/tokens", "/reports/summary", "/reports/2026/summary",
      "/tools/x", "/tools/catalog/x", "/files/v1.2/readme.txt", "/files/v1x2/readme.txt", "/api/v1", "/api/v1/access",
      "/api/v1/", "/api", "/学び/1", "/%E5%AD%A6%E3%81%B3/1", "/account/password", "/account", "//learn", "/\u212Aearn",
      "/learn/\u00e9t\u00e9", "/learn/%2F", "", "/nowhere/at/all",
    ];
    const ids = (r: typeof router, routes: ReturnType<typeof tree>, path: string) =>
      r.matchRoutes(routes as never, path)?.map((m) => [m.route.id, m.pathname, m.pathnameBase, m.params]) ?? null;
    const patchedTree = tree();
    const originalTree = tree();
    for (let round = 0; round < 2; round++) {
      for (const path of paths) expect([path, ids(router, patchedTree, path)]).toEqual([path, ids(original, originalTree, path)]);
    }
    // Another tree of the same shape (the server makes one per request) is matched with the branches
    // ranked for the first, and the matches hold its own route objects.
    const sameShape = tree();
    const routesOf = (routes: ReturnType<typeof tree>): object[] => routes.flatMap((r) => [r, ...routesOf((r as { children?: ReturnType<typeof tree> }).children ?? [])]);
    const own = new Set(routesOf(sameShape));
    for (const path of paths) {
      expect([path, ids(router, sameShape, path)]).toEqual([path, ids(original, originalTree, path)]);
      for (const m of router.matchRoutes(sameShape as never, path) ?? []) expect(own.has(m.route)).toBe(true);
    }
    // A tree of another shape is ranked by itself.
    const changed = tree();
    (changed[0]!.children as { id: string; path?: string }[]).unshift({ id: "learn-first", path: "learn/:courseId" });
    const changedOriginal = tree();
    (changedOriginal[0]!.children as { id: string; path?: string }[]).unshift({ id: "learn-first", path: "learn/:courseId" });
    for (const path of paths) expect([path, ids(router, changed, path)]).toEqual([path, ids(original, changedOriginal, path)]);
  });
});

