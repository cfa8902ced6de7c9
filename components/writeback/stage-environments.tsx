"use client";

import { useState } from "react";
import { BUTTON, CARD, INPUT, MUTED } from "@/components/ui/styles";
import { stageFormFromView, stagesUpdateFromForm, type StageForm, type StageMode } from "@/lib/writeback/settings-form";
import {
  ENVIRONMENT_NAME_MAX,
  type EnvironmentTargetView,
  type StageEnvironmentView,
} from "@/lib/writeback/settings-schemas";
import { useSaveWritebackSettings } from "./hooks/use-writeback-settings";
import { SaveOutcome } from "@/components/ui/save-outcome";

const SECONDARY = `rounded-md border border-zinc-300 px-3 py-1.5 text-sm dark:border-zinc-700`;

const describeTarget = (target: EnvironmentTargetView) =>
  target
    ? `${target.environment}${target.production ? " (production)" : ""}${target.transient ? " (transient)" : ""}`
    : "none";

type Pipeline = { id: string; name: string; stages: StageEnvironmentView[] };

/** One pipeline's stages and where each deploys: its default, none, or an environment named here. */
export function StageEnvironments({ fullName, pipeline }: Readonly<{ fullName: string; pipeline: Pipeline }>) {
  const save = useSaveWritebackSettings(fullName);
  const [rows, setRows] = useState<StageForm[]>(() => pipeline.stages.map(stageFormFromView));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const set = (index: number, patch: Partial<StageForm>) => {
    setSaved(false);
    setRows(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  };
  const send = (stages: Parameters<typeof save.mutate>[0]) => save.mutate(stages, { onSuccess: () => setSaved(true) });

  return (
    <form
      aria-label={`Deployments of ${pipeline.name}`}
      data-testid={`writeback-pipeline-${pipeline.name}`}
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        const checked = stagesUpdateFromForm(rows);
        if (!checked.ok) return setErrors(checked.errors);
        setErrors({});
        send({ pipeline: { pipelineId: pipeline.id, stages: checked.stages } });
      }}
    >
      <div className={`overflow-x-auto ${CARD}`}>
        <table className="min-w-full text-sm">
          <caption className="px-3 pt-3 text-left font-medium">{pipeline.name}</caption>
          <thead className={`text-xs ${MUTED}`}>
            <tr>
              {["Stage", "Deploys to", "Environment", "Production", "Transient"].map((h) => (
                <th key={h} scope="col" className="px-3 py-2 text-left font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {rows.map((row, index) => {
              const view = pipeline.stages[index];
              const editing = row.mode === "environment";
              return (
                <tr key={row.stage} className="align-top" data-testid={`writeback-stage-${row.stage}`}>
                  <th scope="row" className="px-3 py-2 text-left font-medium">
                    {row.stage}
                  </th>
                  <td className="px-3 py-2">
                    <select
                      aria-label={`${row.stage}: deploys to`}
                      value={row.mode}
                      onChange={(e) => set(index, { mode: e.target.value as StageMode })}
                      className={INPUT}
                    >
                      <option value="default">Default: {describeTarget(view?.default ?? null)}</option>
                      <option value="environment">An environment</option>
                      <option value="none">None</option>
                    </select>
                  </td>
                  <td className="px-3 py-2">
                    <input
                      aria-label={`${row.stage}: environment`}
                      value={row.environment}
                      disabled={!editing}
                      maxLength={ENVIRONMENT_NAME_MAX * 4}
                      onChange={(e) => set(index, { environment: e.target.value })}
                      className={`${INPUT} w-48`}
                    />
                    {errors[row.stage] && (
                      <p role="alert" className="text-xs text-red-700 dark:text-red-300">
                        {errors[row.stage]}
                      </p>
                    )}
                  </td>
                  <td className="px-3 py-2">
                    <input
                      type="checkbox"
                      aria-label={`${row.stage}: production`}
                      checked={row.production}
                      disabled={!editing}
                      onChange={(e) => set(index, { production: e.target.checked })}
                    />
                  </td>
                  <td className="px-3 py-2">
                    <input
                      type="checkbox"
                      aria-label={`${row.stage}: transient`}
                      checked={row.transient}
                      disabled={!editing}
                      onChange={(e) => set(index, { transient: e.target.checked })}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={BUTTON} disabled={save.isPending}>
          Save {pipeline.name}&apos;s stages
        </button>
        <button
          type="button"
          className={SECONDARY}
          disabled={save.isPending}
          onClick={() => {
            setRows(pipeline.stages.map((s) => stageFormFromView({ ...s, source: "default", target: s.default })));
            send({ pipeline: { pipelineId: pipeline.id, stages: null } });
          }}
        >
          Back to defaults
        </button>
        <SaveOutcome saved={saved} error={save.isError ? save.error : null} />
      </div>
    </form>
  );
}
