// The addresses and Markdown the settings page offers for a repository's badges. Pure: the origin is the public
// one the server is configured with, the name is GitHub's (owner/name rules), the key base64url, so nothing here
// needs escaping in a URL or in Markdown beyond the path encoding.

export interface BadgeUrls {
  /** The repository's badge, with its key when one is given. */
  repositoryBadge: string;
  /** A pipeline's badge, with `<pipeline>` for its name. */
  pipelineBadge: string;
  repositoryPage: string;
  /** `[![CodePipeline](badge)](repository page)`, ready for a README. */
  markdown: string;
}

export function badgeUrls(input: { origin: string; fullName: string; key: string | null }): BadgeUrls {
  const [owner = "", name = ""] = input.fullName.split("/");
  const base = `${input.origin.replace(/\/+$/, "")}`;
  const path = `${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
  const query = input.key ? `?key=${encodeURIComponent(input.key)}` : "";
  const repositoryBadge = `${base}/badges/${path}.svg${query}`;
  const repositoryPage = `${base}/repositories/${path}`;
  return {
    repositoryBadge,
    pipelineBadge: `${base}/badges/${path}/<pipeline>.svg${query}`,
    repositoryPage,
    markdown: `[![CodePipeline](${repositoryBadge})](${repositoryPage})`,
  };
}
