// Where the setup page's manifest form posts (GitHub's "Registering a GitHub App from a manifest"): the admin's own
// account, or an organisation they own. Isomorphic: the page computes the first, the form the second as it is typed.

export type ManifestOwner = { kind: "user" } | { kind: "organization"; login: string };

const ORGANIZATION = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;

/** Reads the owner field of the setup form: empty means the admin's own account; null when it is no GitHub login. */
export function parseManifestOwner(value: string | null | undefined): ManifestOwner | null {
  const login = (value ?? "").trim();
  if (login === "") return { kind: "user" };
  return ORGANIZATION.test(login) ? { kind: "organization", login } : null;
}

/** The creation page on `githubUrl` for that owner, carrying `state` back to Stageboard's callback. */
export function manifestFormAction(input: { githubUrl: string; owner: ManifestOwner; state: string }): string {
  const base = input.githubUrl.replace(/\/+$/, "");
  const path =
    input.owner.kind === "organization"
      ? `/organizations/${encodeURIComponent(input.owner.login)}/settings/apps/new`
      : "/settings/apps/new";
  return `${base}${path}?state=${encodeURIComponent(input.state)}`;
}
