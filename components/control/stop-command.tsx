"use client";

import { useState } from "react";
import { CommandDialog, type CommandTarget } from "./command-dialog";
import { ChoiceField, ReasonField } from "./command-fields";

const IN_PROGRESS = [
  [false, "Let them finish (stop and wait)"],
  [true, "Abandon them (stop and abandon)"],
] as const;

/**
 * Stop an execution, from its stage in the graph or from its own page: let the actions in progress finish,
 * or abandon them (the only choice once it is already stopping), with an optional reason.
 */
export function StopCommand({
  label,
  accessibleLabel,
  target,
  control,
}: Readonly<{
  label: string;
  accessibleLabel?: string;
  target: CommandTarget;
  control: { executionId: string; inProgressActions: number; abandonOnly: boolean };
}>) {
  const [abandon, setAbandon] = useState(control.abandonOnly);
  const [reason, setReason] = useState("");
  return (
    <CommandDialog
      label={label}
      accessibleLabel={accessibleLabel}
      target={target}
      inProgressActions={control.inProgressActions}
      body={{ kind: "stop-execution", executionId: control.executionId, abandon, reason }}
      fields={(errors) => (
        <>
          <ChoiceField
            legend="Actions in progress"
            name="abandon"
            value={abandon}
            onChange={setAbandon}
            options={control.abandonOnly ? IN_PROGRESS.slice(1) : IN_PROGRESS}
          />
          <ReasonField value={reason} onChange={setReason} limit="stopReason" required={false} error={errors.reason} />
        </>
      )}
    />
  );
}
