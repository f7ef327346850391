import { openApiDocument } from "~/access/openapi";

/** The OpenAPI 3.1 description of the access API. Public: it holds no data. */
export function loader() {
  return new Response(JSON.stringify(openApiDocument, null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
