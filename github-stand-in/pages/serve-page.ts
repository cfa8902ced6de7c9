import type { ServerResponse } from "node:http";
import { redirect, sendText } from "../http/respond";
import type { StandInState } from "../state";
import { commitPage } from "./commit-page";
import { commitView, resolvePageRef } from "./commit-view";
import { deploymentsPage, environmentViews } from "./deployments-page";
import { PAGE_HEADERS, page } from "./html";

const HTML = "text/html; charset=utf-8";
const PAGE = /^\/([^/]+)\/([^/]+)\/(commit\/(.+)|runs\/(\d{1,15})|deployments(\/activity_log)?)$/;

/**
 * The browser pages GitHub has at a repository's address: a commit's checks, a check run (which opens its place on
 * the commit page) and the Environments view. Like the control plane, they need no sign-in. Paths of repositories
 * the stand-in does not have are left to the REST router, which also answers at the root.
 */
export async function servePage(state: StandInState, res: ServerResponse, url: URL): Promise<boolean> {
  const match = PAGE.exec(url.pathname);
  if (!match) return false;
  let owner: string, name: string, ref: string | undefined;
  try {
    [owner, name, ref] = [decodeURIComponent(match[1] ?? ""), decodeURIComponent(match[2] ?? ""), match[4]];
    ref = ref === undefined ? undefined : decodeURIComponent(ref);
  } catch {
    return false;
  }
  const repository = state.world.repository(owner, name);
  if (!repository) return false;
  if (state.down) {
    const body = page("Service unavailable", "<h1>GitHub is having trouble right now.</h1>");
    sendText(res, 503, HTML, body, PAGE_HEADERS);
    return true;
  }
  const repo = repository.fullName;
  if (ref !== undefined) {
    const view = await commitView(state, repo, await resolvePageRef(state, repo, ref));
    sendText(res, 200, HTML, commitPage(view), PAGE_HEADERS);
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
