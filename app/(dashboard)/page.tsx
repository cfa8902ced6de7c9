import { listRepositoriesWithPipelines } from "@/lib/server/pipelines/list-repositories-with-pipelines";
import { requireViewer } from "@/lib/server/session";

export default async function OverviewPage() {
  const viewer = await requireViewer();
  const groups = await listRepositoriesWithPipelines(viewer);
  if (groups.length === 0) {
    return <p className="text-zinc-600 dark:text-zinc-400">No pipelines deliver the repositories you can see yet.</p>;
  }
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Repositories</h1>
      {groups.map((group) => (
        <section key={group.fullName ?? "unmapped"} aria-label={group.fullName ?? "Pipelines without a GitHub source"} data-testid="repository">
          <h2 className="font-medium">{group.fullName ?? "Pipelines without a GitHub source"}</h2>
          <ul className="mt-2 divide-y divide-zinc-200 rounded-md border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
            {group.pipelines.map((p) => (
              <li key={p.id} className="flex items-center justify-between px-3 py-2" data-testid="pipeline">
                <span>{p.name}</span>
                <span className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="pipeline-status">
                  {p.latestStatus ?? "No executions"}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
