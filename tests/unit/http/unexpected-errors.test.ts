import type { ServerBuild } from "@remix-run/node";
import { data } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { isRequestIdErrorData, logUnexpectedError, withRequestId, withRequestIds } from "~/http/unexpected-errors";

const request = (init: RequestInit = {}) => new Request("http://localhost/learn/course?x=1", init);

function logSpy() {
  const lines: unknown[][] = [];
  return { lines, log: (...values: unknown[]) => void lines.push(values) };
}

async function thrownBy(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("did not throw");
}

describe("unexpected errors in loaders and actions", () => {
  it("are logged with the request id and answered with a 500 that carries the same id", async () => {
    const { lines, log } = logSpy();
    const boom = new Error("database went away");
    const loader = withRequestId(async () => {
      throw boom;
    }, log);
    const thrown = await thrownBy(() => loader({ request: request(), context: { requestId: "ab12cd34" } }));
    expect(thrown).toBeInstanceOf(Response);
    const response = thrown as Response;
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body).toEqual({ requestId: "ab12cd34" });
    expect(isRequestIdErrorData(body)).toBe(true);
    expect(lines).toEqual([["[ab12cd34] GET /learn/course", boom]]);
  });

  it("let intended responses, data() and redirects through untouched and unlogged", async () => {
    const { lines, log } = logSpy();
    const notFound = new Response("Not found", { status: 404 });
    const conflict = data({ reason: "changed" }, { status: 409 });
    for (const intended of [notFound, conflict, Response.redirect("http://localhost/login", 302)]) {
      const loader = withRequestId(async () => {
        throw intended;
      }, log);
      expect(await thrownBy(() => loader({ request: request(), context: { requestId: "x" } }))).toBe(intended);
    }
    expect(lines).toEqual([]);
  });

  it("do not turn an aborted request into a logged 500", async () => {
    const { lines, log } = logSpy();
    const controller = new AbortController();
    controller.abort();
    const abortError = new Error("aborted");
    const loader = withRequestId(async () => {
      throw abortError;
    }, log);
    expect(await thrownBy(() => loader({ request: request({ signal: controller.signal }), context: {} }))).toBe(abortError);
    expect(lines).toEqual([]);
  });

  it("return what the function returns", async () => {
    const loader = withRequestId(async () => ({ ok: true }));
    expect(await loader({ request: request(), context: {} })).toEqual({ ok: true });
  });

  it("wrap every route's loader and action in a build, leaving the rest of the module as it is", async () => {
    const { lines, log } = logSpy();
    const Page = () => null;
    const build = {
      routes: {
        root: { id: "root", path: "", module: { default: Page, loader: async () => ({ ok: 1 }) } },
        "routes/x": {
          id: "routes/x",
          parentId: "root",
          path: "x",
          module: {
            default: Page,
            action: async () => {
              throw new TypeError("bug");
            },
          },
        },
      },
    } as unknown as ServerBuild;
    const wrapped = withRequestIds(build, log);
    expect(wrapped.routes["routes/x"]!.module.default).toBe(Page);
    expect(wrapped.routes["routes/x"]!.module.loader).toBeUndefined();
    const args = { request: request({ method: "POST" }), context: { requestId: "id-1" }, params: {} };
    const thrown = (await thrownBy(async () => wrapped.routes["routes/x"]!.module.action!(args))) as Response;
    expect(thrown.status).toBe(500);
    expect(await wrapped.routes.root!.module.loader!(args)).toEqual({ ok: 1 });
    expect(lines[0]![0]).toBe("[id-1] POST /learn/course");
    // The original build is not modified.
    expect((build.routes["routes/x"]!.module.action as () => unknown).name).toBe("action");
  });

  it("log one line format", () => {
    const { lines, log } = logSpy();
    logUnexpectedError("r", { method: "GET", url: "/a?b=c" }, "x", log);
    expect(lines).toEqual([["[r] GET /a", "x"]]);
  });
});
