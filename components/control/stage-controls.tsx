"use client";

import { useId, useState } from "react";
import type { StageControl } from "@/lib/control/available-controls";
import { awsTextHint } from "@/lib/control/command-forms";
import { INPUT, MUTED } from "@/components/ui/styles";
import { CommandDialog, FieldError } from "./command-dialog";

type Common = { pipelineId: string; pipelineName: string };

function Hint({ id, error, hint }: Readonly<{ id: string; error?: string; hint: string | null }>) {
  if (error) return <FieldError id={id} message={error} />;
  return hint ? (
    <p id={id} className={`text-xs ${MUTED}`}>
      {hint}
    </p>
  ) : null;
}

function Retry({ control, ...common }: Readonly<Common & { control: Extract<StageControl, { kind: "retry-stage" }> }>) {
  const [retryMode, setRetryMode] = useState<"FAILED_ACTIONS" | "ALL_ACTIONS">("FAILED_ACTIONS");
  return (
    <CommandDialog
      label="Retry"
      accessibleLabel={`Retry stage ${control.stageName}`}
      pipelineId={common.pipelineId}
      context={{ pipelineName: common.pipelineName }}
      body={{ kind: "retry-stage", stageName: control.stageName, executionId: control.executionId, retryMode }}
      fields={() => (
        <fieldset className="space-y-1">
          <legend className="font-medium">Retry</legend>
          {(
            [
              ["FAILED_ACTIONS", "Failed actions only"],
              ["ALL_ACTIONS", "All actions of the stage"],
            ] as const
          ).map(([value, text]) => (
            <label key={value} className="flex items-center gap-2">
              <input
                type="radio"
                name="retryMode"
                value={value}
                checked={retryMode === value}
                onChange={() => setRetryMode(value)}
              />
              {text}
            </label>
          ))}
        </fieldset>
      )}
    />
  );
}

export function StopFields({
  abandon,
  setAbandon,
  reason,
  setReason,
  abandonOnly,
  errors,
}: Readonly<{
  abandon: boolean;
  setAbandon: (v: boolean) => void;
  reason: string;
  setReason: (v: string) => void;
  abandonOnly: boolean;
  errors: Record<string, string>;
}>) {
  const id = useId();
  return (
    <>
      <fieldset className="space-y-1">
        <legend className="font-medium">Actions in progress</legend>
        {!abandonOnly && (
          <label className="flex items-center gap-2">
            <input type="radio" name="abandon" checked={!abandon} onChange={() => setAbandon(false)} />
            Let them finish (stop and wait)
          </label>
        )}
        <label className="flex items-center gap-2">
          <input type="radio" name="abandon" checked={abandon} onChange={() => setAbandon(true)} />
          Abandon them (stop and abandon)
        </label>
      </fieldset>
      <label htmlFor={`${id}-reason`} className="block font-medium">
        Reason <span className={`font-normal ${MUTED}`}>(optional)</span>
      </label>
      <textarea
        id={`${id}-reason`}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        rows={2}
        maxLength={4000}
        aria-describedby={`${id}-hint`}
        className={`${INPUT} w-full`}
      />
      <Hint id={`${id}-hint`} error={errors.reason} hint={awsTextHint("stopReason", reason)} />
    </>
  );
}

function Stop({
  control,
  ...common
}: Readonly<Common & { control: Extract<StageControl, { kind: "stop-execution" }> }>) {
  const [abandon, setAbandon] = useState(false);
  const [reason, setReason] = useState("");
  return (
    <CommandDialog
      label="Stop"
      accessibleLabel={`Stop execution ${control.executionId.slice(0, 8)}`}
      pipelineId={common.pipelineId}
      context={{ pipelineName: common.pipelineName, inProgressActions: control.inProgressActions }}
      body={{ kind: "stop-execution", executionId: control.executionId, abandon, reason }}
      fields={(errors) => <StopFields {...{ abandon, setAbandon, reason, setReason, errors }} abandonOnly={false} />}
    />
  );
}

function DisableTransition({
  control,
  ...common
}: Readonly<Common & { control: Extract<StageControl, { kind: "disable-transition" }> }>) {
  const id = useId();
  const [reason, setReason] = useState("");
  return (
    <CommandDialog
      label="Disable transition"
      accessibleLabel={`Disable transition into ${control.stageName}`}
      pipelineId={common.pipelineId}
      context={{ pipelineName: common.pipelineName }}
      body={{ kind: "disable-transition", stageName: control.stageName, reason }}
      fields={(errors) => (
        <>
          <label htmlFor={`${id}-reason`} className="block font-medium">
            Reason
          </label>
          <textarea
            id={`${id}-reason`}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            rows={2}
            required
            maxLength={4000}
            aria-invalid={errors.reason ? true : undefined}
            aria-describedby={`${id}-hint`}
            className={`${INPUT} w-full`}
          />
          <Hint id={`${id}-hint`} error={errors.reason} hint={awsTextHint("transitionReason", reason)} />
        </>
      )}
    />
  );
}

function EnableTransition({
  control,
  ...common
}: Readonly<Common & { control: Extract<StageControl, { kind: "enable-transition" }> }>) {
  return (
    <CommandDialog
      label="Enable transition"
      accessibleLabel={`Enable transition into ${control.stageName}`}
      pipelineId={common.pipelineId}
      context={{ pipelineName: common.pipelineName }}
      body={{ kind: "enable-transition", stageName: control.stageName }}
    />
  );
}

function Rollback({
  control,
  ...common
}: Readonly<Common & { control: Extract<StageControl, { kind: "rollback-stage" }> }>) {
  const id = useId();
  const [target, setTarget] = useState(control.targets[0]?.executionId ?? "");
  return (
    <CommandDialog
      label="Roll back"
      accessibleLabel={`Roll back stage ${control.stageName}`}
      pipelineId={common.pipelineId}
      context={{ pipelineName: common.pipelineName }}
      body={{ kind: "rollback-stage", stageName: control.stageName, targetExecutionId: target }}
      fields={(errors) => (
        <>
          <label htmlFor={`${id}-target`} className="block font-medium">
            Roll back to
          </label>
          <select
            id={`${id}-target`}
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            className={`${INPUT} w-full`}
            aria-describedby={`${id}-error`}
          >
            {control.targets.map((t) => (
              <option key={t.executionId} value={t.executionId}>
                {t.label}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-error`} message={errors.targetExecutionId} />
        </>
      )}
    />
  );
}

function Override({
  control,
  ...common
}: Readonly<Common & { control: Extract<StageControl, { kind: "override-condition" }> }>) {
  const which = control.conditionType === "BEFORE_ENTRY" ? "entry" : "success";
  return (
    <CommandDialog
      label={`Override ${which} condition`}
      accessibleLabel={`Override the ${which} condition of ${control.stageName}`}
      pipelineId={common.pipelineId}
      context={{ pipelineName: common.pipelineName }}
      body={{
        kind: "override-condition",
        stageName: control.stageName,
        executionId: control.executionId,
        conditionType: control.conditionType,
      }}
    />
  );
}

/** The commands a stage offers this viewer now (lib/control/available-controls.ts decides which). */
export function StageControls({ controls, ...common }: Readonly<Common & { controls: StageControl[] }>) {
  if (controls.length === 0) return null;
  return (
    <div className="flex flex-wrap gap-1.5" data-testid="stage-controls" role="group" aria-label="Stage commands">
      {controls.map((control) => {
        const key = `${control.kind}-${"conditionType" in control ? control.conditionType : ""}`;
        switch (control.kind) {
          case "retry-stage":
            return <Retry key={key} control={control} {...common} />;
          case "stop-execution":
            return <Stop key={key} control={control} {...common} />;
          case "disable-transition":
            return <DisableTransition key={key} control={control} {...common} />;
          case "enable-transition":
            return <EnableTransition key={key} control={control} {...common} />;
          case "rollback-stage":
            return <Rollback key={key} control={control} {...common} />;
          case "override-condition":
            return <Override key={key} control={control} {...common} />;
        }
      })}
    </div>
  );
}
