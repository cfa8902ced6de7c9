import { escapeHtml } from "../http/respond";
import { hidden, page, userChoices } from "../oauth/authorize-page";
import { withParams } from "../oauth/redirect-uri";
import { isoTime } from "../shapes/urls";
import type { StandInState } from "../state";
import type { AppRecord } from "../world/apps";
import { key } from "../world/names";
import type { Account, Repository, UserRecord } from "../world/world";
import type { PageAnswer } from "./page-answer";
import { htmlAnswer, redirectAnswer } from "./page-answer";

export interface InstallForm {
  login: string;
  account: string;
  selection: string;
  repositories: string[];
  state: string | null;
}

/** A private App installs only on its owner's account; a public one on any account of the world. */
function candidateAccounts(state: StandInState, app: AppRecord): Account[] {
  if (!app.public) return [app.owner];
  return [...state.world.organizations.values(), ...state.world.users.values()];
}

function installForm(
  state: StandInState,
  app: AppRecord,
  options: { targetId: number | null; state: string | null; problem: string | null },
): string {
  const accounts = candidateAccounts(state, app);
  const preselected = accounts.find((a) => a.id === options.targetId) ?? accounts[0];
  const accountChoices = accounts.map((account) => {
    const checked = account === preselected ? " checked" : "";
    const id = `account-${escapeHtml(account.login)}`;
    return `<label for="${id}"><input type="radio" id="${id}" name="account" value="${escapeHtml(account.login)}"${checked}> ${escapeHtml(account.login)}</label>`;
  });
  const logins = new Set(accounts.map((a) => key(a.login)));
  const repositoryChoices = [...state.world.repositories.values()]
    .filter((r) => logins.has(key(r.owner)))
    .sort((a, b) => key(a.fullName).localeCompare(key(b.fullName)))
    .map((r) => {
      const id = `repository-${escapeHtml(r.fullName.replace("/", "-"))}`;
      return `<label for="${id}"><input type="checkbox" id="${id}" name="repositories" value="${escapeHtml(r.fullName)}"> ${escapeHtml(r.fullName)}</label>`;
    });
  const permissions = Object.entries(app.permissions).map(([name, level]) => `${name}: ${level}`);
  return page(
    `Install ${app.name}`,
    `<h1>Install ${escapeHtml(app.name)}</h1>
${options.problem ? `<p role="alert">${escapeHtml(options.problem)}</p>` : ""}
<p>Asks for: ${escapeHtml(permissions.join(", "))}. Events: ${escapeHtml(app.events.join(", ") || "none")}.</p>
<form method="post" action="/apps/${encodeURIComponent(app.slug)}/installations/new">
${hidden("state", options.state)}
${userChoices(state.world, null)}
<fieldset><legend>Install on</legend>
${accountChoices.join("\n")}
</fieldset>
<fieldset><legend>Repository access</legend>
<label for="selection-all"><input type="radio" id="selection-all" name="selection" value="all" checked> All repositories</label>
<label for="selection-selected"><input type="radio" id="selection-selected" name="selection" value="selected"> Only select repositories</label>
${repositoryChoices.join("\n")}
</fieldset>
<p><button type="submit" name="decision" value="install">Install</button></p>
</form>`,
  );
}

function notFoundPage(): PageAnswer {
  return htmlAnswer(404, page("Not found", "<h1>Not found</h1><p>No GitHub App has this name.</p>"));
}

// GET /apps/{slug}/installations/new[/permissions?target_id=] – where @octokit/app's getInstallationUrl points:
// pick the account and the repositories to install the App on
export function showInstallPage(
  state: StandInState,
  slug: string,
  query: { targetId: string | null; state: string | null },
): PageAnswer {
  const app = state.world.apps.bySlug(slug);
  if (!app) return notFoundPage();
  const targetId = query.targetId !== null && /^\d{1,15}$/.test(query.targetId) ? Number(query.targetId) : null;
  return htmlAnswer(200, installForm(state, app, { targetId, state: query.state, problem: null }));
}

/** A user installs on their own account, or on an organization they administer. */
function mayInstall(user: UserRecord, account: Account): boolean {
  if (key(account.login) === key(user.login)) return true;
  return account.type === "Organization" && user.ownerGrants.get(key(account.login)) === "admin";
}

// POST /apps/{slug}/installations/new – installs (or changes the repositories of an installation) and sends the
// browser to the App's setup URL with installation_id and setup_action, as GitHub does
export function submitInstallPage(state: StandInState, slug: string, form: InstallForm): PageAnswer {
  const app = state.world.apps.bySlug(slug);
  if (!app) return notFoundPage();
  const again = (status: number, problem: string) =>
    htmlAnswer(status, installForm(state, app, { targetId: null, state: form.state, problem }));
  const user = state.world.user(form.login);
  const account = candidateAccounts(state, app).find((a) => key(a.login) === key(form.account));
  if (!user) return again(422, "Pick one of the listed users to sign in as.");
  if (!account) return again(422, "Pick an account this App can be installed on.");
  if (!mayInstall(user, account)) return again(403, `@${user.login} cannot install Apps on ${account.login}.`);
  let repositories: "all" | Repository[] = "all";
  if (form.selection === "selected") {
    const chosen = form.repositories.map((name) => {
      const [owner = "", repo = ""] = name.split("/");
      return key(owner) === key(account.login) ? state.world.repository(owner, repo) : undefined;
    });
    if (chosen.length === 0 || chosen.some((r) => r === undefined)) {
      return again(422, `Select one or more repositories of ${account.login}.`);
    }
    repositories = chosen.filter((r): r is Repository => r !== undefined);
  }
  const { installation, created } = state.world.installations.install({
    app,
    account,
    repositories,
    at: isoTime(state.now()),
  });
  const action = created ? "install" : "update";
  if (!app.setupUrl) {
    return htmlAnswer(
      200,
      page("Installed", `<h1>${escapeHtml(app.name)} is installed on ${escapeHtml(account.login)}</h1>`),
    );
  }
  return redirectAnswer(
    withParams(app.setupUrl, { installation_id: String(installation.id), setup_action: action, state: form.state }),
  );
}
