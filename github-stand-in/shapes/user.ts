import type { Account, UserRecord } from "../world/world";
import { WORLD_CREATED_AT, apiUrl, nodeId } from "./urls";

/** GitHub's `simple-user`, also used for organisations as repository owners. */
export function simpleUser(account: Account, base: string): Record<string, unknown> {
  const users = apiUrl(base, `/users/${account.login}`);
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(account.type, account.id),
    avatar_url: `${base}/avatars/${account.login}.svg`,
    gravatar_id: "",
    url: users,
    html_url: `${base}/${account.login}`,
    followers_url: `${users}/followers`,
    following_url: `${users}/following{/other_user}`,
    gists_url: `${users}/gists{/gist_id}`,
    starred_url: `${users}/starred{/owner}{/repo}`,
    subscriptions_url: `${users}/subscriptions`,
    organizations_url: `${users}/orgs`,
    repos_url: `${users}/repos`,
    events_url: `${users}/events{/privacy}`,
    received_events_url: `${users}/received_events`,
    type: account.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/** GET /user as its owner sees it (`private-user`); the email is public so sign-in never needs /user/emails. */
export function privateUser(user: UserRecord, base: string, reachableCount: number): Record<string, unknown> {
  return {
    ...simpleUser(user, base),
    user_view_type: "private",
    name: user.name,
    company: null,
    blog: "",
    location: null,
    email: user.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    notification_email: user.email,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: WORLD_CREATED_AT,
    updated_at: WORLD_CREATED_AT,
    private_gists: 0,
    total_private_repos: reachableCount,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
    plan: { name: "free", space: 976562499, private_repos: 10000, collaborators: 0 },
  };
}

/** GET /users/{username} as anyone else sees the account (`public-user`). */
export function publicUser(account: Account, base: string): Record<string, unknown> {
  return {
    ...simpleUser(account, base),
    name: account.name,
    company: null,
    blog: "",
    location: null,
    email: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: WORLD_CREATED_AT,
    updated_at: WORLD_CREATED_AT,
  };
}

export function organizationSimple(org: Account, base: string): Record<string, unknown> {
  const orgs = apiUrl(base, `/orgs/${org.login}`);
  return {
    login: org.login,
    id: org.id,
    node_id: nodeId("Organization", org.id),
    url: orgs,
    repos_url: `${orgs}/repos`,
    events_url: `${orgs}/events`,
    hooks_url: `${orgs}/hooks`,
    issues_url: `${orgs}/issues`,
    members_url: `${orgs}/members{/member}`,
    public_members_url: `${orgs}/public_members{/member}`,
    avatar_url: `${base}/avatars/${org.login}.svg`,
    description: null,
  };
}
