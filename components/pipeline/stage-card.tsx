import Link from "next/link";
import type { GraphStage } from "@/lib/pipelines/graph";
import { statusTone } from "@/lib/pipelines/status";
import type { StageGraphControl } from "@/components/control/pipeline-control";
import { StageControls } from "@/components/control/stage-controls";
import { StatusBadge } from "@/components/ui/status-badge";
import { MUTED } from "@/components/ui/styles";
import { ActionCard } from "./action-card";

const BORDER = {
  success: "border-emerald-300 dark:border-emerald-800",
  failure: "border-red-400 dark:border-red-700",
  running: "border-sky-400 ring-2 ring-sky-300/50 dark:border-sky-600 dark:ring-sky-700/50",
  waiting: "border-amber-400 dark:border-amber-700",
  stopped: "border-zinc-300 dark:border-zinc-700",
  neutral: "border-zinc-200 dark:border-zinc-800",
} as const;

const CONDITION_LABEL: Record<string, string> = {
  BEFORE_ENTRY: "Before entry",
  ON_SUCCESS: "On success",
  ON_FAILURE: "On failure",
};

export function StageCard({
  stage,
  pipelineId,
  now,
  control,
}: Readonly<{ stage: GraphStage; pipelineId: string; now: Date; control?: StageGraphControl }>) {
  const short = (id: string) => id.slice(0, 8);
  return (
    <section
      aria-label={`Stage ${stage.name}`}
      data-testid="stage"
      data-stage={stage.name}
      data-status={stage.status ?? "none"}
      data-execution={stage.executionId ?? ""}
      className={`flex w-64 shrink-0 flex-col gap-2 rounded-lg border bg-white p-3 dark:bg-zinc-900 ${BORDER[statusTone(stage.status)]}`}
    >
      <header className="flex items-start justify-between gap-2">
        <h3 className="min-w-0 truncate font-medium" title={stage.name}>
          {stage.name}
        </h3>
        <StatusBadge status={stage.status} label={stage.status ? undefined : "Not run"} />
      </header>
      {stage.executionId && (
        <p className={`text-xs ${MUTED}`}>
          Execution{" "}
          <Link
            href={`/pipelines/${pipelineId}/executions/${encodeURIComponent(stage.executionId)}`}
            className="font-mono text-sky-700 hover:underline dark:text-sky-400"
            aria-label={`Execution ${stage.executionId}`}
          >
            {short(stage.executionId)}
          </Link>
        </p>
      )}
      {stage.waiting.length > 0 && (
        <div
          data-testid="waiting"
          className="rounded-md bg-amber-50 p-2 text-xs text-amber-950 dark:bg-amber-950/60 dark:text-amber-100"
        >
          <p className="font-medium">
            {stage.waiting.some((w) => w.heldByTransition) ? "Held by the disabled transition" : "Waiting to enter"}
          </p>
          <ul>
            {stage.waiting.map((w) => (
              <li key={w.executionId}>
                <Link
                  href={`/pipelines/${pipelineId}/executions/${encodeURIComponent(w.executionId)}`}
                  className="font-mono underline"
                  aria-label={`Waiting execution ${w.executionId}`}
                >
                  {short(w.executionId)}
                </Link>{" "}
                ({w.status})
              </li>
            ))}
          </ul>
        </div>
      )}
      {stage.conditions.length > 0 && (
        <ul aria-label="Conditions" className="space-y-1 text-xs">
          {stage.conditions.map((c) => (
            <li key={c.kind} className="flex flex-wrap items-center gap-1">
              <span className={MUTED}>{CONDITION_LABEL[c.kind] ?? c.kind}:</span>
              <StatusBadge status={c.status} label={c.status ? undefined : "Not evaluated"} />
              {c.summary && <span className="w-full break-words">{c.summary}</span>}
            </li>
          ))}
        </ul>
      )}
      <ol aria-label="Actions by run order" className="space-y-1.5">
        {stage.groups.map((group, i) => (
          <li key={i}>
            {stage.groups.length > 1 && (
              <p className={`mb-0.5 text-[11px] uppercase tracking-wide ${MUTED}`}>
                Run order {i + 1}
                {group.length > 1 ? " · parallel" : ""}
              </p>
            )}
            <ul className="flex flex-wrap gap-1.5">
              {group.map((action) => (
                <ActionCard
                  key={action.name}
                  action={action}
                  now={now}
                  approvalId={control?.approvalAt.get(`${stage.name}/${action.name}`) ?? null}
                />
              ))}
            </ul>
          </li>
        ))}
        {stage.groups.length === 0 && <li className={`text-xs ${MUTED}`}>No actions stored for this stage yet.</li>}
      </ol>
      {control && (
        <StageControls
          controls={control.controlsFor(stage)}
          pipelineId={pipelineId}
          pipelineName={control.pipelineName}
        />
      )}
    </section>
  );
}
