import Link from "next/link";
import type { RepositoryGroup } from "@/lib/server/pipelines/get-overview";
import { CARD } from "@/components/ui/styles";
import { pipelineRowData } from "./pipeline-row-data";
import { PipelineRows } from "./pipeline-rows";

export function RepositorySection({ group, now }: Readonly<{ group: RepositoryGroup; now: Date }>) {
  const title = group.fullName ?? "Pipelines without a GitHub source";
  return (
    <section aria-label={title} data-testid="repository">
      <h2 className="mb-2 font-medium">
        {group.fullName ? (
          <Link href={`/repositories/${group.fullName}`} className="hover:underline">
            {group.fullName}
          </Link>
        ) : (
          title
        )}
      </h2>
      <ul className={`divide-y divide-zinc-200 dark:divide-zinc-800 ${CARD}`}>
        <PipelineRows rows={group.pipelines.map((row) => pipelineRowData(row, now))} />
      </ul>
    </section>
  );
}
