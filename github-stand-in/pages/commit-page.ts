// GET /{owner}/{repo}/commit/{sha} – the checks area of GitHub's commit page: check runs, commit statuses and the
// commit's deployments, each with a stable data-testid for browser tests.
import type { CommitView, DeploymentView, RunView } from "./commit-view";
import { verdict } from "./commit-view";
import { badge, link, localLink, page, text } from "./html";
import { runButtons } from "./run-buttons";
import type { Viewer } from "./sessions";

/** Who looks at the page, and the run whose button they have just clicked, if any. */
export interface CommitPageContext {
  viewer: Viewer | null;
  /** Where the sign-in link leads, back to this page. */
  signInHref: string;
  clickedRunId: number | null;
}

const VERDICTS = {
  failing: "Some checks were not successful",
  pending: "Some checks haven’t completed yet",
  passing: "All checks have passed",
  none: "No checks have been reported for this commit",
} as const;

function runItem({ run, appName }: RunView, repository: string, context: CommitPageContext): string {
  const state = run.status === "completed" ? (run.conclusion ?? "completed") : run.status;
  const summary = run.output.summary
    ? `<div class="summary" data-testid="check-run-summary">${text(run.output.summary)}</div>`
    : "";
  return `<li data-testid="check-run" data-name="${text(run.name)}" data-status="${text(run.status)}" data-conclusion="${text(run.conclusion)}" id="check-run-${run.id}">
<strong data-testid="check-run-name">${text(run.name)}</strong> ${badge(state, "check-run-state")}
<span class="muted" data-testid="check-run-app">${text(appName)}</span>
${run.output.title ? `<div data-testid="check-run-title">${text(run.output.title)}</div>` : ""}${summary}
${link(run.detailsUrl, "Details", "check-run-details")}
${runButtons({ repository, run, viewer: context.viewer, signInHref: context.signInHref })}</li>`;
}

function viewerLine(context: CommitPageContext): string {
  if (!context.viewer) return "";
  return `<p class="muted" data-testid="signed-in-as">Signed in as @${text(context.viewer.user.login)}</p>`;
}

function clickedNotice(view: CommitView, context: CommitPageContext): string {
  const clicked = view.runs.find((r) => r.run.id === context.clickedRunId);
  if (!clicked) return "";
  return `<p role="status" data-testid="requested-action-sent">Your request was sent to ${text(clicked.appName)}.</p>`;
}

function deploymentItem(view: DeploymentView): string {
  const { deployment } = view;
  const state = view.latest?.state ?? "pending";
  return `<li data-testid="deployment" data-environment="${text(deployment.environment)}" data-state="${text(state)}">
<strong data-testid="deployment-environment">${text(deployment.environment)}</strong> ${badge(state, "deployment-state")}
<span class="muted">${text(deployment.task)} of ${text(deployment.ref)} by ${text(deployment.creator)}, ${text(deployment.createdAt)}</span>
${view.latest?.description ? `<div data-testid="deployment-description">${text(view.latest.description)}</div>` : ""}
${link(view.environmentUrl, "View deployment", "deployment-url")} ${link(view.latest?.logUrl, "Log", "deployment-log")}</li>`;
}

export function commitPage(view: CommitView, context: CommitPageContext): string {
  const [owner = "", name = ""] = view.repository.split("/");
  const headline = view.commit?.message.split("\n")[0] ?? "";
  const author = view.commit
    ? `<p class="muted" data-testid="commit-author">${text(view.commit.author.name)} committed ${text(view.commit.committer.date)}</p>`
    : "";
  const runs = view.runs.map((r) => runItem(r, view.repository, context));
  const waiting = view.waitingApps.map(
    (app) =>
      `<li data-testid="check-suite-waiting">${badge("queued", "check-suite-state")} ${text(app)}: waiting for its checks</li>`,
  );
  const statuses = view.statuses.map(
    (s) => `<li data-testid="commit-status" data-context="${text(s.context)}" data-state="${text(s.state)}">
<strong data-testid="commit-status-context">${text(s.context)}</strong> ${badge(s.state, "commit-status-state")}
${s.description ? `<span data-testid="commit-status-description">${text(s.description)}</span>` : ""}
${link(s.targetUrl, "Details", "commit-status-details")}</li>`,
  );
  const deployments = view.deployments.map(deploymentItem);
  const section = (title: string, testId: string, items: string[], empty: string) =>
    `<section data-testid="${testId}"><h2>${title}</h2>${items.length > 0 ? `<ul>${items.join("\n")}</ul>` : `<p class="muted">${empty}</p>`}</section>`;
  const body = `${viewerLine(context)}<p><span data-testid="repository">${text(view.repository)}</span> · ${localLink([owner, name, "deployments"], "Environments", "environments-link")}</p>
<h1 data-testid="commit-headline">${text(headline || `Commit ${view.sha.slice(0, 7)}`)}</h1>
<p><code data-testid="commit-sha">${text(view.sha)}</code></p>${author}
${clickedNotice(view, context)}<p data-testid="checks-verdict" data-verdict="${verdict(view)}"><strong>${VERDICTS[verdict(view)]}</strong></p>
${section("Checks", "check-runs", [...runs, ...waiting], "No check runs.")}
${section("Statuses", "commit-statuses", statuses, "No commit statuses.")}
${section("Deployments", "deployments", deployments, "No deployments of this commit.")}`;
  return page(`${headline || view.sha.slice(0, 7)} · ${view.repository}`, body);
}
