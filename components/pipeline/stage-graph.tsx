import { Fragment } from "react";
import type { GraphStage } from "@/lib/pipelines/graph";
import type { StageGraphControl } from "@/components/control/pipeline-control";
import { EmptyState } from "@/components/ui/empty-state";
import { StageCard } from "./stage-card";
import { TransitionConnector } from "./transition-connector";

/**
 * Stages left to right with their transitions. Plain HTML/CSS: a focusable horizontal scroller on
 * wide screens (50 stages scroll, not squash), and a vertical stack on phones.
 */
export function StageGraph({
  stages,
  pipelineId,
  now,
  label,
  control,
}: Readonly<{ stages: GraphStage[]; pipelineId: string; now: Date; label: string; control?: StageGraphControl }>) {
  if (stages.length === 0)
    return <EmptyState title="No stages stored yet">The pipeline definition appears after its first sync.</EmptyState>;
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      data-testid="stage-graph"
      className="overflow-x-auto rounded-lg pb-3 focus-visible:outline-2 focus-visible:outline-sky-600"
    >
      <ol className="flex flex-col items-stretch gap-2 sm:w-max sm:flex-row sm:items-start sm:gap-0">
        {stages.map((stage) => (
          <Fragment key={stage.name}>
            {stage.transition && (
              <li className="flex justify-center sm:contents" aria-hidden={stage.transition.enabled ? true : undefined}>
                <TransitionConnector transition={stage.transition} to={stage.name} />
              </li>
            )}
            <li className="flex sm:contents">
              <StageCard stage={stage} pipelineId={pipelineId} now={now} control={control} />
            </li>
          </Fragment>
        ))}
      </ol>
    </div>
  );
}
