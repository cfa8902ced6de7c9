import { escapeHtml } from "../http/respond";
import type { World } from "../world/world";

export interface ConsentRequest {
  clientId: string;
  /** Set when the client id is a GitHub App's (App user authorization). */
  appName: string | null;
  redirectUri: string | null;
  scope: string;
  state: string | null;
  login: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
}

/** The stand-in's page chrome, shared by the consent page and the App pages. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
fieldset{border:1px solid #d0d7de;border-radius:6px;padding:1rem}label{display:block;margin:.5rem 0}
.reach{display:block;margin-left:1.6rem;color:#59636e;font-size:.9rem}
button{font-size:1rem;padding:.4rem 1rem;margin-right:.5rem;border-radius:6px;border:1px solid #d0d7de}
button[value=authorize]{background:#1f883d;color:#fff}
</style></head>
<body><main>${body}</main></body></html>`;
}

/** "admin: acme/api, acme/web-app; read: globex/inventory" – what a demo user can reach. */
export function describeReach(world: World, login: string): string {
  const user = world.user(login);
  if (!user) return "";
  const byRole = new Map<string, string[]>();
  for (const { repository, role } of world.reachable(user)) {
    byRole.set(role, [...(byRole.get(role) ?? []), repository.fullName]);
  }
  if (byRole.size === 0) return "no repositories";
  return [...byRole].map(([role, names]) => `${role}: ${names.join(", ")}`).join("; ");
}

export function hidden(name: string, value: string | null): string {
  return value === null ? "" : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
}

/** The "Sign in as" radio buttons, one per demo user with what they reach; the stand-in's stand-in for a session. */
export function userChoices(world: World, login: string | null): string {
  const users = [...world.users.values()];
  const preselected = users.find((u) => u.login.toLowerCase() === login?.toLowerCase()) ?? users[0];
  const choices = users.map((user) => {
    const id = `user-${escapeHtml(user.login)}`;
    const checked = user === preselected ? " checked" : "";
    return `<label for="${id}"><input type="radio" id="${id}" name="login" value="${escapeHtml(user.login)}"${checked}>
${escapeHtml(user.name)} (@${escapeHtml(user.login)})
<span class="reach">${escapeHtml(describeReach(world, user.login))}</span></label>`;
  });
  return `<fieldset><legend>Sign in as</legend>\n${choices.join("\n")}\n</fieldset>`;
}

export function consentPage(world: World, request: ConsentRequest): string {
  const scopes =
    request.scope.trim() === ""
      ? "no extra scopes (public information only)"
      : request.scope.split(/[\s,]+/).join(", ");
  const name = request.appName ?? request.clientId;
  const asks = request.appName
    ? "to act on your behalf, with its permissions, on the repositories it is installed on that you can reach"
    : `for: ${scopes}`;
  return page(
    "Authorize application",
    `<h1>Authorize ${escapeHtml(name)}</h1>
<p>The application <strong>${escapeHtml(name)}</strong> asks ${escapeHtml(asks)}.</p>
<form method="post" action="/login/oauth/authorize">
${hidden("client_id", request.clientId)}${hidden("redirect_uri", request.redirectUri)}${hidden("scope", request.scope)}
${hidden("state", request.state)}${hidden("code_challenge", request.codeChallenge)}${hidden("code_challenge_method", request.codeChallengeMethod)}
${userChoices(world, request.login)}
<p><button type="submit" name="decision" value="authorize">Authorize</button>
<button type="submit" name="decision" value="cancel">Cancel</button></p>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}
