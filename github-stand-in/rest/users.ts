import { paginate } from "../http/pagination";
import { hasAnyScope } from "../oauth/scopes";
import { intersectPermissions, levelAtLeast } from "../world/app-permissions";
import { key } from "../world/names";
import { organizationSimple, privateUser, publicUser } from "../shapes/user";
import { apiUrl } from "../shapes/urls";
import type { RestContext } from "./context";
import { fail, notFound, reply } from "./context";

const USER_DOCS = "https://docs.github.com/rest/users/users#get-the-authenticated-user";
const EMAILS_DOCS = "https://docs.github.com/rest/users/emails#list-email-addresses-for-the-authenticated-user";
const ORGS_DOCS = "https://docs.github.com/rest/orgs/orgs#list-organizations-for-the-authenticated-user";
const TEAM_DOCS = "https://docs.github.com/rest/teams/members#get-team-membership-for-a-user";

function requireViewer(ctx: RestContext, docs: string): boolean {
  if (ctx.viewer) return true;
  fail(ctx, 401, "Requires authentication", docs);
  return false;
}

function withLink(link: string | null): Record<string, string> {
  return link ? { link } : {};
}

// GET /user – the signed-in user
export function getUser(ctx: RestContext): void {
  if (!requireViewer(ctx, USER_DOCS) || !ctx.viewer) return;
  const count = ctx.state.world.reachable(ctx.viewer).length;
  reply(ctx, 200, privateUser(ctx.viewer, ctx.base, count));
}

// GET /users/{username} – any account by its current login (a renamed account answers at its new login only)
export function getUserByLogin(ctx: RestContext): void {
  const account = ctx.state.world.account(ctx.params.username ?? "");
  if (!account) return notFound(ctx, "https://docs.github.com/rest/users/users#get-a-user");
  reply(ctx, 200, publicUser(account, ctx.base));
}

// GET /user/emails – needs user:email or user
export function getEmails(ctx: RestContext): void {
  if (!requireViewer(ctx, EMAILS_DOCS) || !ctx.viewer || !ctx.token) return;
  if (!hasAnyScope(ctx.token.scopes, ["user:email"])) return notFound(ctx, EMAILS_DOCS);
  const emails = [{ email: ctx.viewer.email, primary: true, verified: true, visibility: "public" }];
  const page = paginate(emails, ctx.url, ctx.base);
  reply(ctx, 200, page.items, withLink(page.link));
}

// GET /user/orgs – needs read:org or user; GitHub answers 403 when the scope is missing
export function getOrganizations(ctx: RestContext): void {
  if (!requireViewer(ctx, ORGS_DOCS) || !ctx.viewer || !ctx.token) return;
  if (!hasAnyScope(ctx.token.scopes, ["read:org", "user"])) {
    return fail(ctx, 403, "You need at least read:org scope or user scope to list your organizations.", ORGS_DOCS);
  }
  const orgs = [...ctx.viewer.orgs]
    .map((login) => ctx.state.world.organizations.get(login))
    .filter((org) => org !== undefined)
    .map((org) => organizationSimple(org, ctx.base));
  const page = paginate(orgs, ctx.url, ctx.base);
  reply(ctx, 200, page.items, withLink(page.link));
}

// GET /orgs/{org}/teams/{team_slug}/memberships/{username} – 404 unless active member and the caller can see the org
/**
 * May the caller read the org's team memberships? A user token with read:org whose user belongs to the org; or an
 * installation on the org itself whose token grants the organization permission `members: read` (refused 403,
 * naming the permission, otherwise, as GitHub does). Answers the refusal itself.
 */
function teamReader(ctx: RestContext, org: string): boolean | "refused" {
  const caller = ctx.caller;
  if (caller.kind === "installation") {
    const granted = intersectPermissions(caller.token.permissions, caller.installation.permissions);
    if (key(caller.installation.account.login) !== key(org)) {
      notFound(ctx, TEAM_DOCS);
      return "refused";
    }
    if (!levelAtLeast(granted.members, "read")) {
      const headers = { "x-accepted-github-permissions": "members=read" };
      fail(ctx, 403, "Resource not accessible by integration", TEAM_DOCS, {}, headers);
      return "refused";
    }
    return true;
  }
  const viewer = ctx.viewer;
  if (!viewer || !ctx.token || !hasAnyScope(ctx.token.scopes, ["read:org"])) {
    notFound(ctx, TEAM_DOCS);
    return "refused";
  }
  return viewer.orgs.has(key(org)) || viewer.teams.some((t) => key(t.org) === key(org));
}

export function getTeamMembership(ctx: RestContext): void {
  const { org = "", team_slug: slug = "", username = "" } = ctx.params;
  const callerSeesOrg = teamReader(ctx, org);
  if (callerSeesOrg === "refused") return;
  const member = ctx.state.world.user(username);
  const team = member?.teams.find((t) => key(t.org) === key(org) && key(t.slug) === key(slug));
  if (!callerSeesOrg || !member || !team) return notFound(ctx, TEAM_DOCS);
  reply(ctx, 200, {
    url: apiUrl(ctx.base, `/orgs/${org}/teams/${team.slug}/memberships/${member.login}`),
    role: team.role ?? "member",
    state: "active",
  });
}
