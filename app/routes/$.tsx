import type { MetaFunction } from "@remix-run/node";
import { pageTitle } from "~/i18n/meta";
import { ErrorPage } from "~/ui/error-page";

export async function loader() {
  throw new Response("Not found", { status: 404 });
}

// A form posted to an unknown address is a 404 too (without an action Remix would answer 405).
export async function action() {
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return <ErrorPage status={404} />;
}

export const meta: MetaFunction = (args) => pageTitle(args, "errors.404.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
