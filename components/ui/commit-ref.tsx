"use client";

import { commitLinks } from "@/lib/format/commit-links";
import { firstLine, shortSha } from "@/lib/format/commit";
import { ExternalLink } from "./external-link";
import { useGitHubHost } from "./github-host";

/**
 * Short SHA linked to the commit on the repository's GitHub host, its pull request and a compare
 * view against the previous execution's commit when known, and the message's first line, as text.
 */
export function CommitRef({
  sha,
  message,
  url,
  repository = null,
  previousSha = null,
  pullRequestFrom,
}: Readonly<{
  sha: string | null;
  message: string | null;
  url: string | null;
  repository?: string | null;
  previousSha?: string | null;
  /** The message to read a pull request number from when `message` is not shown here. */
  pullRequestFrom?: string | null;
}>) {
  const host = useGitHubHost();
  if (!sha && !message && !pullRequestFrom) return <span className="text-zinc-500 dark:text-zinc-400">No commit</span>;
  const links = commitLinks({
    host,
    sha,
    repository,
    storedUrl: url,
    previousSha,
    message: pullRequestFrom ?? message,
  });
  return (
    <span className="flex min-w-0 items-baseline gap-2">
      {sha && (
        // Without a GitHub repository (an unmapped source) the stored link is kept, as an http(s) link only.
        <ExternalLink href={links.commit ?? url} className="shrink-0 font-mono text-xs">
          <span data-testid="commit-sha">{shortSha(sha)}</span>
        </ExternalLink>
      )}
      {message && (
        <span className="truncate" data-testid="commit-message" title={message}>
          {firstLine(message)}
        </span>
      )}
      {links.pullRequest && (
        <ExternalLink href={links.pullRequest.url} className="shrink-0 text-xs">
          <span data-testid="commit-pull-request">#{links.pullRequest.number}</span>
        </ExternalLink>
      )}
      {links.compare && (
        <ExternalLink href={links.compare} className="shrink-0 text-xs">
          <span data-testid="commit-compare">compare</span>
          <span className="sr-only"> with the previous execution&apos;s commit</span>
        </ExternalLink>
      )}
    </span>
  );
}
