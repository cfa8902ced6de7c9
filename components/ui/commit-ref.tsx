import { firstLine, shortSha } from "@/lib/format/commit";
import { ExternalLink } from "./external-link";

/** Short SHA (linked when the URL is http(s)) and the message's first line, always as text. */
export function CommitRef({
  sha,
  message,
  url,
}: Readonly<{ sha: string | null; message: string | null; url: string | null }>) {
  if (!sha && !message) return <span className="text-zinc-500 dark:text-zinc-400">No commit</span>;
  return (
    <span className="flex min-w-0 items-baseline gap-2">
      {sha && (
        <ExternalLink href={url} className="shrink-0 font-mono text-xs">
          {shortSha(sha)}
        </ExternalLink>
      )}
      <span className="truncate" data-testid="commit-message" title={message ?? undefined}>
        {firstLine(message)}
      </span>
    </span>
  );
}
