// How an unmapped pipeline's source is named: the connection's provider when the source is a
// connection (a Bitbucket or GitLab repository, or a GitHub other than the configured one), and
// github.com for a GitHub (version 1) source, which is mapped only when the dashboard uses github.com.

const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  GitHub: "GitHub.com",
  GitHubEnterpriseServer: "GitHub Enterprise Server",
  Bitbucket: "Bitbucket",
  GitLab: "GitLab",
  GitLabSelfManaged: "GitLab self-managed",
  AzureDevOps: "Azure DevOps",
};

export interface UnmappedSource {
  sourceProvider: string | null;
  sourceConnectionArn: string | null;
  sourceConnectionProvider: string | null;
}

export function unmappedSourceLabel(source: UnmappedSource): string {
  if (source.sourceConnectionArn) {
    if (!source.sourceConnectionProvider) return "A connection whose provider is not known yet";
    const name = PROVIDER_NAMES[source.sourceConnectionProvider] ?? source.sourceConnectionProvider;
    return source.sourceConnectionProvider.startsWith("GitHub")
      ? `${name}, not the GitHub this dashboard uses`
      : `${name} repository`;
  }
  if (source.sourceProvider === "GitHub")
    return "GitHub.com (version 1 source), mapped only when this dashboard uses it";
  return source.sourceProvider ?? "Not a GitHub source";
}
