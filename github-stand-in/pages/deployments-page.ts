// GET /{owner}/{repo}/deployments – GitHub's Environments view: per environment, what is live (the newest deployment
// whose state is success) and what was tried since; `/deployments/activity_log?environments_filter=` narrows to one.
import type { StandInState } from "../state";
import { key } from "../world/names";
import type { EnvironmentRecord } from "../world/records";
import type { DeploymentView } from "./commit-view";
import { deploymentView } from "./commit-view";
import { badge, link, localLink, page, text } from "./html";

const HISTORY = 10;
const FILTERED_HISTORY = 50;

export interface EnvironmentView {
  environment: EnvironmentRecord;
  /** The newest deployment whose state is success: what the environment runs now. */
  active: DeploymentView | undefined;
  /** Deployments to it, newest first. */
  history: DeploymentView[];
}

export function environmentViews(state: StandInState, repository: string, only: string | null): EnvironmentView[] {
  return state.records.environments
    .of(repository)
    .filter((e) => only === null || key(e.name) === key(only))
    .map((environment) => {
      const history = state.records.deployments
        .filter((d) => key(d.repository) === key(repository))
        .map((d) => deploymentView(state, d))
        .filter((v) => key(v.latest?.environment ?? v.deployment.environment) === key(environment.name))
        .sort((a, b) => b.deployment.id - a.deployment.id);
      return { environment, active: history.find((v) => v.latest?.state === "success"), history };
    });
}

function deploymentLine(repository: string, view: DeploymentView, testId: string): string {
  const [owner = "", name = ""] = repository.split("/");
  const state = view.latest?.state ?? "pending";
  return `<li data-testid="${testId}" data-sha="${text(view.deployment.sha)}" data-state="${text(state)}">
${localLink([owner, name, "commit", view.deployment.sha], view.deployment.sha.slice(0, 7), `${testId}-commit`)}
${badge(state, `${testId}-state`)} <span class="muted">${text(view.deployment.ref)} · ${text(view.deployment.creator)} · ${text(view.latest?.createdAt ?? view.deployment.createdAt)}</span>
${link(view.environmentUrl, "View deployment", `${testId}-url`)}</li>`;
}

export function deploymentsPage(repository: string, views: EnvironmentView[], only: string | null): string {
  const sections = views.map(({ environment, active, history }) => {
    const shown = history.slice(0, only === null ? HISTORY : FILTERED_HISTORY);
    return `<section data-testid="environment" data-name="${text(environment.name)}">
<h2 data-testid="environment-name">${text(environment.name)}</h2>
${active ? `<p>Active:</p><ul>${deploymentLine(repository, active, "active-deployment")}</ul>` : `<p class="muted" data-testid="no-active-deployment">Nothing active.</p>`}
<p>History:</p><ul>${shown.map((v) => deploymentLine(repository, v, "environment-deployment")).join("\n")}</ul>
</section>`;
  });
  const title = only === null ? "Environments" : `Deployments to ${only}`;
  const body = `<p data-testid="repository">${text(repository)}</p><h1>${text(title)}</h1>
${sections.length > 0 ? sections.join("\n") : `<p class="muted" data-testid="no-environments">No deployments yet.</p>`}`;
  return page(`${title} · ${repository}`, body);
}
