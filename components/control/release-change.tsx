"use client";

import { useId, useState } from "react";
import type { ExecutionStopControl, ReleaseControl } from "@/lib/control/available-controls";
import { INPUT, MUTED } from "@/components/ui/styles";
import { CommandDialog, type CommandTarget } from "./command-dialog";
import { ChoiceField, FieldError, SelectField } from "./command-fields";
import { StopCommand } from "./stop-command";

const SOURCES = [
  [false, "Latest source revision"],
  [true, "A chosen commit"],
] as const;

/**
 * "Release change": start an execution of the latest source, or (V2 pipelines) of a chosen commit through
 * `sourceRevisions`, with pipeline variables. Blank variables keep their declared defaults.
 */
export function ReleaseChange({
  control,
  pipelineId,
  pipelineName,
}: Readonly<CommandTarget & { control: ReleaseControl }>) {
  const id = useId();
  const [chosen, setChosen] = useState(false);
  const [actionName, setActionName] = useState(control.sourceActions[0] ?? "");
  const [sha, setSha] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const canChoose = control.sourceActions.length > 0;
  const body = {
    kind: "start-execution" as const,
    sourceRevisions: chosen && canChoose ? [{ actionName, revisionValue: sha.trim() }] : [],
    variables: control.variables
      .filter((v) => (values[v.name] ?? "") !== "")
      .map((v) => ({ name: v.name, value: values[v.name] ?? "" })),
  };
  return (
    <CommandDialog
      label="Release change"
      target={{ pipelineId, pipelineName }}
      body={body}
      fields={(errors) => (
        <>
          {canChoose && (
            <ChoiceField legend="Source" name="source" value={chosen} onChange={setChosen} options={SOURCES} />
          )}
          {chosen && canChoose && (
            <div className="grid gap-2 sm:grid-cols-2">
              {control.sourceActions.length > 1 && (
                <SelectField
                  label="Source action"
                  value={actionName}
                  onChange={setActionName}
                  options={control.sourceActions.map((name) => [name, name] as const)}
                />
              )}
              <label className="flex flex-col">
                <span className="mb-1 font-medium">Commit SHA</span>
                <input
                  value={sha}
                  onChange={(e) => setSha(e.target.value)}
                  className={`${INPUT} font-mono`}
                  maxLength={64}
                  autoComplete="off"
                  spellCheck={false}
                  aria-invalid={errors["sourceRevisions.0.revisionValue"] ? true : undefined}
                  aria-describedby={`${id}-sha`}
                />
                <FieldError id={`${id}-sha`} message={errors["sourceRevisions.0.revisionValue"]} />
              </label>
            </div>
          )}
          {control.variables.length > 0 && (
            <fieldset className="space-y-2">
              <legend className="font-medium">Variables</legend>
              <p className={`text-xs ${MUTED}`}>Leave a variable blank to use its default.</p>
              {control.variables.map((v) => {
                const index = body.variables.findIndex((b) => b.name === v.name);
                const error = index >= 0 ? errors[`variables.${index}.value`] : undefined;
                return (
                  <label key={v.name} className="flex flex-col">
                    <span className="mb-1 font-mono text-xs">{v.name}</span>
                    <input
                      value={values[v.name] ?? ""}
                      placeholder={v.defaultValue ?? ""}
                      onChange={(e) => setValues({ ...values, [v.name]: e.target.value })}
                      maxLength={1000}
                      className={INPUT}
                    />
                    <FieldError id={`${id}-${v.name}`} message={error} />
                  </label>
                );
              })}
            </fieldset>
          )}
        </>
      )}
    />
  );
}

/** Stop, on an execution's own page. */
export function ExecutionStop({
  control,
  pipelineId,
  pipelineName,
}: Readonly<CommandTarget & { control: ExecutionStopControl }>) {
  return (
    <StopCommand
      label={control.abandonOnly ? "Abandon" : "Stop execution"}
      target={{ pipelineId, pipelineName }}
      control={control}
    />
  );
}
