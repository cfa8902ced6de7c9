import type { PermissionFlags } from "../world/permissions";
import type { Account, Repository } from "../world/world";
import { WORLD_CREATED_AT, apiUrl, nodeId } from "./urls";
import { simpleUser } from "./user";

// GitHub's URL templates on every repository object, relative to the repository's API URL.
const TEMPLATES: Record<string, string> = {
  archive_url: "/{archive_format}{/ref}",
  assignees_url: "/assignees{/user}",
  blobs_url: "/git/blobs{/sha}",
  branches_url: "/branches{/branch}",
  collaborators_url: "/collaborators{/collaborator}",
  comments_url: "/comments{/number}",
  commits_url: "/commits{/sha}",
  compare_url: "/compare/{base}...{head}",
  contents_url: "/contents/{+path}",
  contributors_url: "/contributors",
  deployments_url: "/deployments",
  downloads_url: "/downloads",
  events_url: "/events",
  forks_url: "/forks",
  git_commits_url: "/git/commits{/sha}",
  git_refs_url: "/git/refs{/sha}",
  git_tags_url: "/git/tags{/sha}",
  hooks_url: "/hooks",
  issue_comment_url: "/issues/comments{/number}",
  issue_events_url: "/issues/events{/number}",
  issues_url: "/issues{/number}",
  keys_url: "/keys{/key_id}",
  labels_url: "/labels{/name}",
  languages_url: "/languages",
  merges_url: "/merges",
  milestones_url: "/milestones{/number}",
  notifications_url: "/notifications{?since,all,participating}",
  pulls_url: "/pulls{/number}",
  releases_url: "/releases{/id}",
  stargazers_url: "/stargazers",
  statuses_url: "/statuses/{sha}",
  subscribers_url: "/subscribers",
  subscription_url: "/subscription",
  tags_url: "/tags",
  teams_url: "/teams",
  trees_url: "/git/trees{/sha}",
};

/** `minimal-repository`: identity, owner and the URL templates. */
export function minimalRepository(repo: Repository, owner: Account, base: string): Record<string, unknown> {
  const url = apiUrl(base, `/repos/${repo.fullName}`);
  const templates = Object.fromEntries(Object.entries(TEMPLATES).map(([name, path]) => [name, url + path]));
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
    owner: simpleUser(owner, base),
    html_url: `${base}/${repo.fullName}`,
    description: null,
    fork: false,
    url,
    ...templates,
  };
}

export interface RepositoryView {
  permissions?: PermissionFlags;
  /** API version 2026-03-10 no longer reports has_downloads. */
  withDownloads: boolean;
}

/** `repository`, as listed by GET /user/repos. */
export function repository(
  repo: Repository,
  owner: Account,
  base: string,
  view: RepositoryView,
): Record<string, unknown> {
  const host = new URL(base).host;
  return {
    ...minimalRepository(repo, owner, base),
    git_url: `git://${host}/${repo.fullName}.git`,
    ssh_url: `git@${host}:${repo.fullName}.git`,
    clone_url: `${base}/${repo.fullName}.git`,
    svn_url: `${base}/${repo.fullName}`,
    mirror_url: null,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 0,
    default_branch: "main",
    open_issues: 0,
    open_issues_count: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    ...(view.withDownloads ? { has_downloads: true } : {}),
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? "private" : "public",
    license: null,
    pushed_at: WORLD_CREATED_AT,
    created_at: WORLD_CREATED_AT,
    updated_at: WORLD_CREATED_AT,
    ...(view.permissions ? { permissions: view.permissions } : {}),
  };
}

/** `full-repository`, as GET /repos/{owner}/{repo} returns it. */
export function fullRepository(
  repo: Repository,
  owner: Account,
  base: string,
  view: RepositoryView,
): Record<string, unknown> {
  return {
    ...repository(repo, owner, base, view),
    network_count: 0,
    subscribers_count: 0,
    allow_rebase_merge: true,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    ...(owner.type === "Organization" ? { organization: simpleUser(owner, base) } : {}),
  };
}
