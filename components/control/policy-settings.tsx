import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { BUTTON, INPUT, LINK, MUTED } from "@/components/ui/styles";
import { PolicyEditor, type PolicyLevelView } from "./policy-editor";

export type SettingsPipeline = { id: string; name: string; stages: string[] };

/** A repository's settings: its approval and command policy at the chosen level, and links to the rest. */
export function PolicySettings({ pipelines, ...level }: Readonly<PolicyLevelView & { pipelines: SettingsPipeline[] }>) {
  const { repository, scope } = level;
  const base = `/repositories/${repository}/settings`;
  const chosen = pipelines.find((p) => p.id === scope.pipelineId);
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[
          { label: "Repositories", href: "/" },
          { label: repository, href: `/repositories/${repository}` },
        ]}
        title="Settings"
      >
        <div className="flex flex-wrap gap-4 text-sm">
          <Link href={`${base}/notifications`} className={LINK}>
            Notifications
          </Link>
          <Link href={`/audit?repository=${encodeURIComponent(repository)}`} className={LINK}>
            Audit log
          </Link>
        </div>
      </PageHeader>
      <section aria-labelledby="policy-heading" className="space-y-3">
        <h2 id="policy-heading" className="font-medium">
          Approval and command policy
        </h2>
        <p className={`text-sm ${MUTED}`}>
          Stageboard asks GitHub for the person&apos;s permission on {repository} at the moment of every decision and
          command. Values apply from the instance&apos;s defaults down to the repository, a pipeline and a stage; the
          nearest level wins.
        </p>
        <form method="get" action={base} className="flex flex-wrap items-end gap-2" aria-label="Choose the level">
          <label className="flex flex-col text-sm">
            <span className="mb-1">Pipeline</span>
            <select name="pipeline" defaultValue={scope.pipelineId ?? ""} className={INPUT}>
              <option value="">Whole repository</option>
              {pipelines.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          {chosen && chosen.stages.length > 0 && (
            <label className="flex flex-col text-sm">
              <span className="mb-1">Stage</span>
              <select name="stage" defaultValue={scope.stageName ?? ""} className={INPUT}>
                <option value="">Whole pipeline</option>
                {chosen.stages.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="submit" className={BUTTON}>
            Show
          </button>
        </form>
        <PolicyEditor key={`${scope.pipelineId ?? ""}/${scope.stageName ?? ""}`} {...level} />
      </section>
    </div>
  );
}
