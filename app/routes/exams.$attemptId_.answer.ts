import type { ActionFunctionArgs } from "@remix-run/node";
import { AUTOSAVE_HEADERS, autosaveAnswer, methodNotAllowed, type AutosaveReply } from "~/assessment/exam-autosave.server";
import { currentSessionId } from "~/auth/session.server";

/**
 * The exam's autosave: a resource route, so a save never re-runs the page's loaders. It answers small
 * JSON (app/assessment/exam-autosave.server.ts). In production the Node server answers most saves before
 * Express (autosave-fast-path.server.ts) with the same function; what it does not take comes here.
 */

const respond = (answer: AutosaveReply) => new Response(answer.body, { status: answer.status, headers: AUTOSAVE_HEADERS });

export async function loader() {
  return respond(methodNotAllowed());
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return respond(methodNotAllowed());
  return respond(
    await autosaveAnswer({
      sessionId: currentSessionId(request),
      attemptId: params.attemptId ?? "",
      readForm: () => request.formData(),
    }),
  );
}
