"use client";

import { useState } from "react";
import type { StageControl } from "@/lib/control/available-controls";
import { CommandDialog, type CommandTarget } from "./command-dialog";
import { ChoiceField, ReasonField, SelectField } from "./command-fields";
import { StopCommand } from "./stop-command";

// One small component per command a stage offers: its state, its body and its fields; CommandDialog does the rest.

type CommandProps<K extends StageControl["kind"]> = Readonly<{
  target: CommandTarget;
  control: Extract<StageControl, { kind: K }>;
}>;

const RETRY_MODES = [
  ["FAILED_ACTIONS", "Failed actions only"],
  ["ALL_ACTIONS", "All actions of the stage"],
] as const;

function Retry({ control, target }: CommandProps<"retry-stage">) {
  const [retryMode, setRetryMode] = useState<(typeof RETRY_MODES)[number][0]>("FAILED_ACTIONS");
  return (
    <CommandDialog
      label="Retry"
      accessibleLabel={`Retry stage ${control.stageName}`}
      target={target}
      body={{ kind: "retry-stage", stageName: control.stageName, executionId: control.executionId, retryMode }}
      fields={() => (
        <ChoiceField legend="Retry" name="retryMode" value={retryMode} onChange={setRetryMode} options={RETRY_MODES} />
      )}
    />
  );
}

function Stop({ control, target }: CommandProps<"stop-execution">) {
  return (
    <StopCommand
      label="Stop"
      accessibleLabel={`Stop execution ${control.executionId.slice(0, 8)}`}
      target={target}
      control={{ ...control, abandonOnly: false }}
    />
  );
}

function DisableTransition({ control, target }: CommandProps<"disable-transition">) {
  const [reason, setReason] = useState("");
  return (
    <CommandDialog
      label="Disable transition"
      accessibleLabel={`Disable transition into ${control.stageName}`}
      target={target}
      body={{ kind: "disable-transition", stageName: control.stageName, reason }}
      fields={(errors) => (
        <ReasonField value={reason} onChange={setReason} limit="transitionReason" required error={errors.reason} />
      )}
    />
  );
}

function EnableTransition({ control, target }: CommandProps<"enable-transition">) {
  return (
    <CommandDialog
      label="Enable transition"
      accessibleLabel={`Enable transition into ${control.stageName}`}
      target={target}
      body={{ kind: "enable-transition", stageName: control.stageName }}
    />
  );
}

function Rollback({ control, target }: CommandProps<"rollback-stage">) {
  const [targetExecutionId, setTargetExecutionId] = useState(control.targets[0]?.executionId ?? "");
  return (
    <CommandDialog
      label="Roll back"
      accessibleLabel={`Roll back stage ${control.stageName}`}
      target={target}
      body={{ kind: "rollback-stage", stageName: control.stageName, targetExecutionId }}
      fields={(errors) => (
        <SelectField
          label="Roll back to"
          value={targetExecutionId}
          onChange={setTargetExecutionId}
          options={control.targets.map((t) => [t.executionId, t.label] as const)}
          error={errors.targetExecutionId}
        />
      )}
    />
  );
}

function Override({ control, target }: CommandProps<"override-condition">) {
  const which = control.conditionType === "BEFORE_ENTRY" ? "entry" : "success";
  return (
    <CommandDialog
      label={`Override ${which} condition`}
      accessibleLabel={`Override the ${which} condition of ${control.stageName}`}
      target={target}
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
export function StageControls({
  controls,
  pipelineId,
  pipelineName,
}: Readonly<CommandTarget & { controls: StageControl[] }>) {
  if (controls.length === 0) return null;
  const target = { pipelineId, pipelineName };
  return (
    <div className="flex flex-wrap gap-1.5" data-testid="stage-controls" role="group" aria-label="Stage commands">
      {controls.map((control) => {
        const key = `${control.kind}-${"conditionType" in control ? control.conditionType : ""}`;
        switch (control.kind) {
          case "retry-stage":
            return <Retry key={key} control={control} target={target} />;
          case "stop-execution":
            return <Stop key={key} control={control} target={target} />;
          case "disable-transition":
            return <DisableTransition key={key} control={control} target={target} />;
          case "enable-transition":
            return <EnableTransition key={key} control={control} target={target} />;
          case "rollback-stage":
            return <Rollback key={key} control={control} target={target} />;
          case "override-condition":
            return <Override key={key} control={control} target={target} />;
        }
      })}
    </div>
  );
}
