import type { IncomingMessage, ServerResponse } from "node:http";
import { redirect, sendText } from "../http/respond";
import type { StandInState } from "../state";
import { commitPage } from "./commit-page";
import { commitView, resolvePageRef } from "./commit-view";
import { deploymentsPage, environmentViews } from "./deployments-page";
import { PAGE_HEADERS, page } from "./html";
import { postRequestedAction } from "./run-buttons";
import { viewerOf } from "./sessions";
import { signInPage, submitSignIn, submitSignOut } from "./sign-in-page";

const HTML = "text/html; charset=utf-8";
const PAGE = /^\/([^/]+)\/([^/]+)\/(commit\/(.+)|runs\/(\d{1,15})|deployments(\/activity_log)?)$/;
const BUTTON_POST = /^\/([^/]+)\/([^/]+)\/runs\/(\d{1,15})\/requested_action$/;

function unavailable(res: ServerResponse): void {
  const body = page("Service unavailable", "<h1>GitHub is having trouble right now.</h1>");
  sendText(res, 503, HTML, body, PAGE_HEADERS);
}

function decoded(parts: (string | undefined)[]): string[] | null {
  try {
    return parts.map((p) => decodeURIComponent(p ?? ""));
  } catch {
    return null;
  }
}

/** Signing in to the stand-in, and a click on a check run's button; false for any other path. */
async function servePost(state: StandInState, req: IncomingMessage, res: ServerResponse, url: URL) {
  if (url.pathname === "/session") {
    if (state.down) unavailable(res);
    else await submitSignIn(state, req, res);
    return true;
  }
  if (url.pathname === "/logout") {
    submitSignOut(state, req, res);
    return true;
  }
  const match = BUTTON_POST.exec(url.pathname);
  const [owner, name] = (match && decoded([match[1], match[2]])) ?? [];
  const repository = owner !== undefined && name !== undefined ? state.world.repository(owner, name) : undefined;
  if (!match || !repository) return false;
  if (state.down) unavailable(res);
  else await postRequestedAction(state, req, res, { repository, runId: Number(match[3]) });
  return true;
}

/**
 * The browser pages GitHub has at a repository's address: a commit's checks, a check run (which opens its place on
 * the commit page) and the Environments view. Like the control plane, reading them needs no sign-in; a check run's
 * buttons are offered to the person signed in on the stand-in (GET /login). Paths of repositories the stand-in does
 * not have are left to the REST router, which also answers at the root.
 */
export async function servePage(
  state: StandInState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  if (req.method === "POST") return servePost(state, req, res, url);
  if (req.method !== "GET") return false;
  if (url.pathname === "/login") {
    if (state.down) unavailable(res);
    else sendText(res, 200, HTML, signInPage(state, req, url), PAGE_HEADERS);
    return true;
  }
  const match = PAGE.exec(url.pathname);
  if (!match) return false;
  const parts = decoded([match[1], match[2]]);
  const ref = match[4] === undefined ? undefined : decoded([match[4]])?.[0];
  if (!parts || (match[4] !== undefined && ref === undefined)) return false;
  const [owner = "", name = ""] = parts;
  const repository = state.world.repository(owner, name);
  if (!repository) return false;
  if (state.down) {
    unavailable(res);
    return true;
  }
  const repo = repository.fullName;
  if (ref !== undefined) {
    const view = await commitView(state, repo, await resolvePageRef(state, repo, ref));
    const here = `${url.pathname}${url.search}`;
    const clicked = Number(url.searchParams.get("requested"));
    const context = {
      viewer: viewerOf(state, req),
      signInHref: `/login?return_to=${encodeURIComponent(here)}`,
      clickedRunId: Number.isSafeInteger(clicked) && clicked > 0 ? clicked : null,
    };
    sendText(res, 200, HTML, commitPage(view, context), PAGE_HEADERS);
    return true;
  }
  const runId = match[5];
  if (runId !== undefined) {
    const run = state.records.checks.run(repo, Number(runId));
    if (!run) {
      sendText(res, 404, HTML, page("Not found", "<h1>This check run does not exist.</h1>"), PAGE_HEADERS);
      return true;
    }
    redirect(res, `/${repo}/commit/${run.sha}#check-run-${run.id}`);
    return true;
  }
  const only = match[6] ? url.searchParams.get("environments_filter") : null;
  sendText(res, 200, HTML, deploymentsPage(repo, environmentViews(state, repo, only), only), PAGE_HEADERS);
  return true;
}
