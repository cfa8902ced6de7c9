// A check run's buttons (requested actions) on the commit page, and what a click posts. GitHub shows them once the
// run has completed and says nothing of who may click: any signed-in person who can read the repository gets them,
// and the App that owns the run decides what the click may do (it receives the clicker as the sender).
import type { IncomingMessage, ServerResponse } from "node:http";
import { publicBase } from "../http/base-url";
import { readBody } from "../http/body";
import { redirect, sendText } from "../http/respond";
import type { StandInState } from "../state";
import { clickCheckRunButton } from "../webhooks/click";
import type { CheckRunRecord } from "../world/records";
import type { Repository } from "../world/world";
import { PAGE_HEADERS, page, text } from "./html";
import { formPoster, type Viewer } from "./sessions";

const HTML = "text/html; charset=utf-8";

export function buttonsShown(run: CheckRunRecord): boolean {
  return run.status === "completed" && run.actions.length > 0;
}

export const requestedActionPath = (repository: string, runId: number) =>
  `/${repository.split("/").map(encodeURIComponent).join("/")}/runs/${runId}/requested_action`;

/** The run's buttons for the signed-in person, or a sign-in link for nobody signed in. */
export function runButtons(input: {
  repository: string;
  run: CheckRunRecord;
  viewer: Viewer | null;
  signInHref: string;
}): string {
  const { run, viewer } = input;
  if (!buttonsShown(run)) return "";
  if (!viewer)
    return `<p class="muted"><a href="${text(input.signInHref)}" data-testid="check-run-sign-in">Sign in</a> to use this check's buttons.</p>`;
  const buttons = run.actions.map(
    (a) =>
      `<button type="submit" name="identifier" value="${text(a.identifier)}" title="${text(a.description)}" data-testid="check-run-action">${text(a.label)}</button>`,
  );
  return `<form method="post" action="${text(requestedActionPath(input.repository, run.id))}" data-testid="check-run-actions">
<input type="hidden" name="authenticity_token" value="${text(viewer.authenticityToken)}">${buttons.join(" ")}</form>`;
}

function refuse(res: ServerResponse, status: number, title: string, message: string): void {
  sendText(res, status, HTML, page(title, `<h1>${text(title)}</h1><p>${text(message)}</p>`), PAGE_HEADERS);
}

// POST /{owner}/{repo}/runs/{id}/requested_action – the signed-in person clicks one of the run's buttons
export async function postRequestedAction(
  state: StandInState,
  req: IncomingMessage,
  res: ServerResponse,
  input: { repository: Repository; runId: number },
): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const ownOrigin = publicBase(req, state.publicUrl, state.listeningUrl);
  const viewer = formPoster(state, req, { form, ownOrigin });
  if (!viewer)
    return refuse(res, 403, "Not signed in", "Sign in again and use the buttons on the commit page to act on a check.");
  const repository = input.repository;
  const run = state.records.checks.run(repository.fullName, input.runId);
  // Like GitHub, a repository the person cannot read is not there for them.
  if (state.world.roleOf(viewer.user, repository) === "none" || !run)
    return refuse(res, 404, "Not found", "This check run does not exist.");
  if (!buttonsShown(run)) return refuse(res, 422, "No buttons", "This check run offers no buttons right now.");
  const click = clickCheckRunButton(state, {
    repository,
    run,
    user: viewer.user,
    identifier: form.get("identifier"),
  });
  if (click.kind === "no-such-button") return refuse(res, 422, "No such button", "This check run has no such button.");
  redirect(res, `/${repository.fullName}/commit/${run.sha}?requested=${run.id}#check-run-${run.id}`);
}
