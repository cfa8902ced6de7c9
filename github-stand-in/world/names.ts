// GitHub's own limits: logins are alphanumerics and single hyphens (≤39), repository names ≤100 of [A-Za-z0-9._-].
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/;

export function isLogin(value: unknown): value is string {
  return typeof value === "string" && LOGIN.test(value);
}

export function parseFullName(value: unknown): { owner: string; name: string } | null {
  if (typeof value !== "string") return null;
  const parts = value.split("/");
  const [owner, name] = parts;
  if (parts.length !== 2 || !isLogin(owner) || name === undefined || !REPO_NAME.test(name)) return null;
  if (name === "." || name === "..") return null;
  return { owner, name };
}

/** Owners and repository names are case-insensitive on GitHub, so every lookup key is lowercased. */
export function key(value: string): string {
  return value.toLowerCase();
}
