// Which OAuth scope implies which narrower ones (GitHub's "scopes for OAuth apps" page).
const IMPLIES: Record<string, string[]> = {
  repo: ["repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events"],
  user: ["read:user", "user:email", "user:follow"],
  "admin:org": ["write:org", "read:org"],
  "write:org": ["read:org"],
  "admin:repo_hook": ["write:repo_hook", "read:repo_hook"],
  "write:repo_hook": ["read:repo_hook"],
  "admin:public_key": ["write:public_key", "read:public_key"],
  "write:public_key": ["read:public_key"],
  "admin:gpg_key": ["write:gpg_key", "read:gpg_key"],
  "write:gpg_key": ["read:gpg_key"],
};

const SCOPE = /^[a-z_]+(?::[a-z_]+)?$/;

function impliedBy(scope: string): string[] {
  const direct = IMPLIES[scope] ?? [];
  return [...direct, ...direct.flatMap(impliedBy)];
}

/**
 * Requests list scopes space-separated (commas also work); GitHub stores them without the ones
 * another granted scope already implies, e.g. "user,gist,user:email" becomes "user,gist".
 */
export function normaliseScopes(requested: string): string[] {
  const asked = [...new Set(requested.split(/[\s,]+/).filter((s) => SCOPE.test(s)))];
  const covered = new Set(asked.flatMap(impliedBy));
  return asked.filter((scope) => !covered.has(scope));
}

export function hasScope(granted: readonly string[], needed: string): boolean {
  return granted.some((scope) => scope === needed || impliedBy(scope).includes(needed));
}

export function hasAnyScope(granted: readonly string[], accepted: readonly string[]): boolean {
  return accepted.some((scope) => hasScope(granted, scope));
}
