import { randomBytes } from "node:crypto";
import { escapeHtml } from "../http/respond";
import { hidden, page, userChoices } from "../oauth/authorize-page";
import { withParams } from "../oauth/redirect-uri";
import { isoTime } from "../shapes/urls";
import type { StandInState } from "../state";
import { key } from "../world/names";
import type { Account } from "../world/world";
import { generateAppKey } from "./keys";
import type { Manifest } from "./manifest";
import { checkManifest } from "./manifest";
import type { PageAnswer } from "./page-answer";
import { htmlAnswer, redirectAnswer } from "./page-answer";

/** What the creation page carries: the manifest as posted, the state to echo, and the organization if any. */
export interface ManifestRequest {
  manifest: string;
  state: string | null;
  org: string | null;
}

function describeList(items: string[]): string {
  return items.length === 0 ? "none" : items.join(", ");
}

function creationForm(state: StandInState, request: ManifestRequest, manifest: Manifest, problem: string | null) {
  const action = request.org
    ? `/organizations/${encodeURIComponent(request.org)}/settings/apps/new`
    : "/settings/apps/new";
  const permissions = Object.entries(manifest.permissions).map(([name, level]) => `${name}: ${level}`);
  const owner = request.org ? `the organization ${request.org}` : "your account (the user signed in below)";
  return page(
    "Create GitHub App",
    `<h1>Create GitHub App</h1>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ""}
<p>A GitHub App owned by ${escapeHtml(owner)}, from the manifest of <strong>${escapeHtml(manifest.url)}</strong>.</p>
<ul><li>Permissions: ${escapeHtml(describeList(permissions))}</li>
<li>Events: ${escapeHtml(describeList(manifest.events))}</li>
<li>Webhook: ${escapeHtml(manifest.hookActive && manifest.hookUrl ? manifest.hookUrl : "inactive")}</li>
<li>${manifest.public ? "Public: any account can install it" : "Private: only its owner can install it"}</li></ul>
<form method="post" action="${escapeHtml(action)}">
${hidden("manifest", request.manifest)}${hidden("state", request.state)}
<label for="app-name">GitHub App name</label>
<input id="app-name" name="name" value="${escapeHtml(manifest.name)}" maxlength="34" required>
${userChoices(state.world, null)}
<p><button type="submit" name="decision" value="create">Create GitHub App</button></p>
</form>`,
  );
}

function invalidPage(problems: string[]): PageAnswer {
  return htmlAnswer(
    422,
    page(
      "Invalid manifest",
      `<h1>Invalid GitHub App manifest</h1><ul>${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join("")}</ul>`,
    ),
  );
}

// GET|POST /settings/apps/new, /organizations/{org}/settings/apps/new – the manifest flow's first step: a page that
// shows what the manifest asks for, with the name editable and the creating user picked like on the consent page
export function showManifestPage(state: StandInState, request: ManifestRequest): PageAnswer {
  const checked = checkManifest(request.manifest);
  if (checked.kind === "invalid") return invalidPage(checked.problems);
  if (request.org && !state.world.organizations.get(key(request.org))) {
    return htmlAnswer(404, page("Not found", "<h1>Not found</h1><p>There is no such organization.</p>"));
  }
  return htmlAnswer(200, creationForm(state, request, checked.manifest, null));
}

/** A user may register an App for themselves, or for an organization they administer. */
function ownerFor(state: StandInState, request: ManifestRequest, login: string): Account | string {
  const user = state.world.user(login);
  if (!user) return "Pick one of the listed users to sign in as.";
  if (!request.org) return user;
  const org = state.world.organizations.get(key(request.org));
  if (!org) return "There is no such organization.";
  return user.ownerGrants.get(key(org.login)) === "admin" ? org : `@${user.login} cannot create Apps for ${org.login}.`;
}

// POST (decision=create) – registers the App and sends the browser to redirect_url with a one-hour, single-use code
export async function createFromManifest(
  state: StandInState,
  request: ManifestRequest,
  form: { login: string; name: string },
): Promise<PageAnswer> {
  const checked = checkManifest(request.manifest, form.name);
  if (checked.kind === "invalid") return invalidPage(checked.problems);
  const { manifest } = checked;
  const owner = ownerFor(state, request, form.login);
  if (typeof owner === "string") return htmlAnswer(403, creationForm(state, request, manifest, owner));
  const keyPair = await generateAppKey();
  const at = isoTime(state.now());
  const registered = state.world.apps.register({
    name: manifest.name,
    description: manifest.description,
    owner,
    // GitHub creates a webhook secret for every App registered from a manifest.
    webhookSecret: randomBytes(20).toString("hex"),
    webhookUrl: manifest.hookUrl,
    webhookActive: manifest.hookActive,
    url: manifest.url,
    callbackUrls: manifest.callbackUrls,
    setupUrl: manifest.setupUrl,
    public: manifest.public,
    permissions: manifest.permissions,
    events: manifest.events,
    expiringUserTokens: true,
    publicKey: keyPair.publicKey,
    createdAt: at,
    updatedAt: at,
  });
  if (registered.kind === "rejected") return htmlAnswer(422, creationForm(state, request, manifest, registered.reason));
  const code = state.world.apps.holdForConversion(registered.app, keyPair.privateKeyPem, state.now());
  if (!manifest.redirectUrl) {
    return htmlAnswer(
      200,
      page(
        "GitHub App created",
        `<h1>Created ${escapeHtml(registered.app.name)}</h1><p>Code: <code>${code}</code></p>`,
      ),
    );
  }
  return redirectAnswer(withParams(manifest.redirectUrl, { code, state: request.state }));
}
