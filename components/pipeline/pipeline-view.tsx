import Link from "next/link";
import { releaseControl, stageControls } from "@/lib/control/available-controls";
import type { PipelineRights } from "@/lib/control/contract";
import type { PipelineDetail } from "@/lib/server/pipelines/get-pipeline-detail";
import { PipelineApprovals } from "@/components/approvals/pipeline-approvals";
import { rollbackTargets, type StageGraphControl } from "@/components/control/pipeline-control";
import { ReleaseChange } from "@/components/control/release-change";
import { LiveUpdates } from "@/components/live/live-updates";
import { CommitRef } from "@/components/ui/commit-ref";
import { PageHeader } from "@/components/ui/page-header";
import { StatusBadge } from "@/components/ui/status-badge";
import { CARD, LINK, MUTED } from "@/components/ui/styles";
import { TimeAgo } from "@/components/ui/time-ago";
import { ExecutionPicker } from "./execution-picker";
import { PipelineFacts } from "./pipeline-facts";
import { StageGraph } from "./stage-graph";

/** The commit of the execution that started before `executionId`, when the recent list holds it. */
function previousCommitSha(recent: PipelineDetail["recent"], executionId: string): string | null {
  const index = recent.findIndex((e) => e.executionId === executionId);
  return index >= 0 ? (recent[index + 1]?.commitSha ?? null) : null;
}

export function PipelineView({
  pipeline,
  now,
  eventId = null,
  rights = null,
  approvalAt = new Map(),
}: Readonly<{
  pipeline: PipelineDetail;
  now: Date;
  eventId?: string | null;
  /** What the viewer may do (null while loading: no commands shown). */
  rights?: PipelineRights | null;
  approvalAt?: ReadonlyMap<string, string>;
}>) {
  const selected = pipeline.selected;
  const release = releaseControl(
    { pipelineType: pipeline.pipelineType, graph: pipeline.graph, variables: pipeline.variables },
    rights,
  );
  const succeeded = rollbackTargets(pipeline.recent);
  // Commands act on the pipeline as it is now, so a graph of an older execution offers none.
  const control: StageGraphControl | undefined = selected
    ? undefined
    : {
        pipelineName: pipeline.name,
        controlsFor: (stage) => stageControls({ stage, pipelineType: pipeline.pipelineType, succeeded }, rights),
        approvalAt,
      };
  const crumbs = [
    { label: "Repositories", href: "/" },
    ...(pipeline.repository ? [{ label: pipeline.repository, href: `/repositories/${pipeline.repository}` }] : []),
  ];
  return (
    <div>
      <PageHeader crumbs={crumbs} title={pipeline.name}>
        <div className="flex flex-wrap items-center gap-4">
          <LiveUpdates pipeline={pipeline.id} eventId={eventId} />
          {release && <ReleaseChange control={release} pipelineId={pipeline.id} pipelineName={pipeline.name} />}
          <Link href={`/pipelines/${pipeline.id}/executions`} className={`text-sm ${LINK}`}>
            History
          </Link>
        </div>
      </PageHeader>
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <ExecutionPicker pipelineId={pipeline.id} recent={pipeline.recent} selected={selected?.executionId ?? null} />
        <p className={`text-xs ${MUTED}`}>
          State fetched <TimeAgo value={pipeline.stateFetchedAt} now={now} />
        </p>
      </div>
      {selected && (
        <div data-testid="selected-execution" className={`mb-4 flex flex-wrap items-center gap-3 p-3 text-sm ${CARD}`}>
          <span>
            As execution{" "}
            <Link
              href={`/pipelines/${pipeline.id}/executions/${encodeURIComponent(selected.executionId)}`}
              className={`font-mono underline ${LINK}`}
            >
              {selected.executionId.slice(0, 8)}
            </Link>{" "}
            ran
          </span>
          <StatusBadge status={selected.status} />
          <CommitRef
            sha={selected.commitSha}
            message={selected.commitMessage}
            url={selected.commitUrl}
            repository={pipeline.repository}
            previousSha={previousCommitSha(pipeline.recent, selected.executionId)}
          />
          <span className={`text-xs ${MUTED}`}>Transitions show their current state.</span>
        </div>
      )}
      <PipelineApprovals pipelineId={pipeline.id} />
      <h2 className="sr-only">Stages</h2>
      <div className="grid gap-6 2xl:grid-cols-[minmax(0,1fr)_18rem]">
        <StageGraph
          stages={pipeline.graph}
          pipelineId={pipeline.id}
          now={now}
          control={control}
          label={selected ? `Stages as execution ${selected.executionId} ran` : "Stages now"}
        />
        <PipelineFacts pipeline={pipeline} />
      </div>
    </div>
  );
}
