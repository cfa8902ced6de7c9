"use client";

import { useState } from "react";
import { BUTTON, CARD, INPUT, MUTED } from "@/components/ui/styles";
import { switchesFormFromView, switchesUpdateFromForm, type SwitchesForm } from "@/lib/writeback/settings-form";
import {
  SWITCH_LABELS,
  WRITEBACK_SWITCHES,
  type WritebackSettingsView,
  type WritebackSwitch,
} from "@/lib/writeback/settings-schemas";
import { useSaveWritebackSettings, useWritebackSettings } from "./hooks/use-writeback-settings";
import { StageEnvironments } from "./stage-environments";
import { SaveOutcome } from "@/components/ui/save-outcome";

const HINTS: Record<WritebackSwitch, string> = {
  checkRuns: "CodePipeline · <pipeline> and approval check runs on the source commit.",
  statuses: "Commit status codepipeline/<pipeline>, for branch protection rules that require status contexts.",
  stageStatuses: "Also codepipeline/<pipeline>/<stage>, while commit statuses are on.",
  deployments: "GitHub Deployments for the stages mapped to environments below.",
};

const onOff = (value: boolean) => (value ? "on" : "off");

function Switches({ fullName, view }: Readonly<{ fullName: string; view: WritebackSettingsView }>) {
  const save = useSaveWritebackSettings(fullName);
  const [form, setForm] = useState<SwitchesForm>(() => switchesFormFromView(view));
  const [saved, setSaved] = useState(false);
  return (
    <form
      aria-label="Write-back switches"
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ switches: switchesUpdateFromForm(form) }, { onSuccess: () => setSaved(true) });
      }}
    >
      <div className={`overflow-x-auto ${CARD}`}>
        <table className="min-w-full text-sm">
          <caption className="px-3 pt-3 text-left font-medium">What Stageboard writes on GitHub</caption>
          <thead className={`text-xs ${MUTED}`}>
            <tr>
              <th scope="col" className="px-3 py-2 text-left font-medium">
                Report
              </th>
              <th scope="col" className="px-3 py-2 text-left font-medium">
                In effect
              </th>
              <th scope="col" className="px-3 py-2 text-left font-medium">
                Set for {view.repository}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {WRITEBACK_SWITCHES.map((key) => {
              const value = view.switches[key];
              return (
                <tr key={key} className="align-top">
                  <th scope="row" className="px-3 py-2 text-left font-medium">
                    {SWITCH_LABELS[key]}
                    <span className={`block text-xs font-normal ${MUTED}`}>{HINTS[key]}</span>
                  </th>
                  <td className="px-3 py-2" data-testid={`writeback-effective-${key}`}>
                    {value.effective ? "On" : "Off"}
                    <span className={`block text-xs ${MUTED}`}>
                      {value.override === null ? "the instance's default" : "set for this repository"}
                    </span>
                  </td>
                  <td className="px-3 py-2">
                    <select
                      aria-label={SWITCH_LABELS[key]}
                      data-testid={`writeback-switch-${key}`}
                      value={form[key]}
                      onChange={(e) => {
                        setSaved(false);
                        setForm({ ...form, [key]: e.target.value as SwitchesForm[WritebackSwitch] });
                      }}
                      className={INPUT}
                    >
                      <option value="">Instance default: {onOff(value.instance)}</option>
                      <option value="on">On</option>
                      <option value="off">Off</option>
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={BUTTON} disabled={save.isPending}>
          Save switches
        </button>
        <SaveOutcome saved={saved} error={save.isError ? save.error : null} />
      </div>
    </form>
  );
}

/**
 * The repository's GitHub write-back: which reports Stageboard's App writes (each switch over the instance's
 * default) and, per pipeline, which stages deploy to which GitHub environment. Shown to those who may edit; the
 * route asks GitHub afresh and audits every save.
 */
export function WritebackSettings({ fullName }: Readonly<{ fullName: string }>) {
  const { data: view, error, isPending } = useWritebackSettings(fullName);
  return (
    <section
      aria-labelledby="writeback-heading"
      className={`${CARD} mt-6 space-y-4 p-4`}
      data-testid="writeback-settings"
    >
      <h2 id="writeback-heading" className="font-medium">
        GitHub write-back
      </h2>
      {isPending ? (
        <p role="status" className={`text-sm ${MUTED}`}>
          Asking GitHub whether you administer {fullName}…
        </p>
      ) : error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error.message}
        </p>
      ) : (
        <>
          <p className={`text-sm ${MUTED}`}>
            With the GitHub App installed on {view.repository}, each pipeline execution is reported on its source
            commit. Changes apply from the next change of an execution.
          </p>
          <Switches fullName={fullName} view={view} />
          <h3 className="font-medium">Deployments per stage</h3>
          {view.pipelines.length === 0 ? (
            <p className={`text-sm ${MUTED}`}>No pipeline delivers {view.repository} yet.</p>
          ) : (
            view.pipelines.map((pipeline) => (
              <StageEnvironments key={pipeline.id} fullName={fullName} pipeline={pipeline} />
            ))
          )}
        </>
      )}
    </section>
  );
}
