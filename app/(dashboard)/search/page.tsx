import type { Metadata } from "next";
import { CommitSearchBox } from "@/components/search/commit-search-box";
import { CommitSearchResults } from "@/components/search/commit-search-results";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { firstValues } from "@/lib/pipelines/schemas";
import { parseCommitQuery } from "@/lib/search/commit-query";
import { searchCommits } from "@/lib/server/search/search-commits";
import { requireViewer } from "@/lib/server/session";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: "Where is my commit? · Stageboard" };

export default async function CommitSearchPage({ searchParams }: Readonly<Props>) {
  const viewer = await requireViewer("/search");
  const q = (firstValues(await searchParams).q ?? "").slice(0, 200);
  const parsed = q.trim() ? parseCommitQuery(q) : null;
  const result = parsed?.ok ? await searchCommits(viewer, parsed.query) : null;
  return (
    <div>
      <PageHeader title="Where is my commit?">
        <CommitSearchBox defaultValue={q} id="commit-search-page" />
      </PageHeader>
      {!parsed ? (
        <EmptyState title="Find a commit across your pipelines">
          Type a commit SHA (at least 4 characters), its GitHub address, or a pull request like #42.
        </EmptyState>
      ) : !parsed.ok ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {parsed.message}
        </p>
      ) : (
        result && <CommitSearchResults query={parsed.query} result={result} now={new Date()} />
      )}
    </div>
  );
}
