"use client";

import { useState } from "react";
import { BUTTON, CARD, INPUT, MUTED } from "@/components/ui/styles";
import { TURN_OFF_OWN_TRIGGERS_MARKDOWN } from "@/lib/pipelines/own-triggers";
import type { GateCheckMode, GateReleaseOrder, GateSettingsView } from "@/lib/server/gate/settings/schemas";
import { GateCommits } from "./gate-commits";
import { gateFormFromView, gateUpdateFromForm, type GateForm } from "./gate-form";
import { useGateSettings, useSaveGateSettings } from "./hooks/use-gate-settings";
import { SaveOutcome } from "@/components/ui/save-outcome";

// The "Release gates" section of a repository's settings page, one form per pipeline. It lives there rather than on
// the pipeline page because that is where the repository's admins already set what Stageboard does for the
// repository on GitHub (policies, badges, write-back), and the gate is one more such setting, for the same people.

const CHECK_MODES: { value: GateCheckMode; label: string; hint: string }[] = [
  {
    value: "all",
    label: "Every other check",
    hint: "Every check suite GitHub created for the push, from any App, must pass; suites not created yet count as pending.",
  },
  {
    value: "required",
    label: "The branch's required checks",
    hint: "The checks the branch's rulesets and classic protection require (the App needs the administration permission to read them).",
  },
  { value: "named", label: "Named checks", hint: "Only the check runs and statuses named below, one a line." },
];
const ORDERS: { value: GateReleaseOrder; label: string; hint: string }[] = [
  { value: "newest", label: "Newest green commit", hint: "Older waiting commits are skipped once a newer one passes." },
  { value: "each", label: "Each commit, in push order", hint: "Every green commit is released, oldest first." },
];
const README_HEADING = "Releasing only after GitHub's checks pass: turning off the pipeline's own trigger";

function Warnings({ view }: Readonly<{ view: GateSettingsView }>) {
  return (
    <>
      {!view.githubApp.configured && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          No GitHub App is configured for Stageboard: without it the gate receives no check events and cannot be turned
          on.
        </p>
      )}
      {!view.commitStart.ok && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300" data-testid="gate-commit-start">
          The gate cannot release this pipeline: {view.commitStart.reason}.
        </p>
      )}
      {view.ownTriggers.length > 0 && (
        <div
          className="rounded-md border border-amber-300 p-2 text-sm dark:border-amber-700"
          data-testid="gate-own-triggers"
        >
          <p className="font-medium">This pipeline still starts itself, without waiting for the gate:</p>
          <ul className="list-disc pl-5">
            {view.ownTriggers.map((t) => (
              <li key={`${t.kind}-${t.sourceActionName}`}>{t.description}</li>
            ))}
          </ul>
          <details>
            <summary className="cursor-pointer">How to turn it off (README: “{README_HEADING}”)</summary>
            <pre className="mt-1 whitespace-pre-wrap font-sans text-xs">{TURN_OFF_OWN_TRIGGERS_MARKDOWN}</pre>
          </details>
        </div>
      )}
    </>
  );
}

function GateFormFields({ view }: Readonly<{ view: GateSettingsView }>) {
  const id = view.pipeline.id;
  const save = useSaveGateSettings(id);
  const [form, setForm] = useState<GateForm>(() => gateFormFromView(view));
  const [saved, setSaved] = useState(false);
  const change = (patch: Partial<GateForm>) => {
    setSaved(false);
    setForm({ ...form, ...patch });
  };
  return (
    <form
      aria-label={`Release gate of ${view.pipeline.name}`}
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(gateUpdateFromForm(form), { onSuccess: () => setSaved(true) });
      }}
    >
      <label className="flex items-center gap-2 text-sm font-medium">
        <input
          type="checkbox"
          checked={form.enabled}
          onChange={(e) => change({ enabled: e.target.checked })}
          data-testid="gate-enabled"
        />
        Release only commits whose GitHub checks pass
      </label>
      <label className="block text-sm">
        <span className="block font-medium">Branches</span>
        <span className={`block text-xs ${MUTED}`}>
          One pattern a line (release/*); empty: the source branch
          {view.pipeline.sourceBranch ? ` (${view.pipeline.sourceBranch})` : ""}.
        </span>
        <textarea
          className={`${INPUT} mt-1 w-full`}
          rows={2}
          value={form.branches}
          onChange={(e) => change({ branches: e.target.value })}
          data-testid="gate-branches"
        />
      </label>
      <fieldset className="text-sm">
        <legend className="font-medium">Which checks must pass</legend>
        {CHECK_MODES.map((mode) => (
          <label key={mode.value} className="mt-1 flex items-start gap-2">
            <input
              type="radio"
              name={`gate-checks-${id}`}
              value={mode.value}
              checked={form.checks === mode.value}
              onChange={() => change({ checks: mode.value })}
            />
            <span>
              {mode.label}
              <span className={`block text-xs ${MUTED}`}>{mode.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {form.checks === "named" && (
        <label className="block text-sm">
          <span className="block font-medium">Check names</span>
          <textarea
            className={`${INPUT} mt-1 w-full`}
            rows={3}
            value={form.checkNames}
            onChange={(e) => change({ checkNames: e.target.value })}
            data-testid="gate-check-names"
          />
        </label>
      )}
      <fieldset className="text-sm">
        <legend className="font-medium">When several commits wait</legend>
        {ORDERS.map((order) => (
          <label key={order.value} className="mt-1 flex items-start gap-2">
            <input
              type="radio"
              name={`gate-order-${id}`}
              value={order.value}
              checked={form.releaseOrder === order.value}
              onChange={() => change({ releaseOrder: order.value })}
            />
            <span>
              {order.label}
              <span className={`block text-xs ${MUTED}`}>{order.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={BUTTON} disabled={save.isPending}>
          Save release gate
        </button>
        <SaveOutcome saved={saved} error={save.isError ? save.error : null} />
      </div>
    </form>
  );
}

function PipelineGate({ pipeline }: Readonly<{ pipeline: { id: string; name: string } }>) {
  const { data: view, error, isPending } = useGateSettings(pipeline.id);
  return (
    <div className="space-y-3 border-t border-zinc-100 pt-3 dark:border-zinc-800" data-testid={`gate-${pipeline.id}`}>
      <h3 className="font-medium">{pipeline.name}</h3>
      {isPending ? (
        <p role="status" className={`text-sm ${MUTED}`}>
          Asking GitHub whether you administer this pipeline&apos;s repository…
        </p>
      ) : error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error.message}
        </p>
      ) : (
        <>
          <p className="text-sm" data-testid="gate-state">
            {view.settings.enabled ? "On" : "Off"}
            {view.settings.updatedByLogin && (
              <span className={MUTED}> · last set by @{view.settings.updatedByLogin}</span>
            )}
          </p>
          <Warnings view={view} />
          <GateFormFields view={view} />
          <GateCommits pipelineId={pipeline.id} commits={view.recentCommits} />
        </>
      )}
    </div>
  );
}

/**
 * Release gates: per pipeline, whether a push is released only once its GitHub checks pass. Shown only to those who
 * may edit the repository's settings; the route asks GitHub afresh on every read and audits every save.
 */
export function ReleaseGates({ pipelines }: Readonly<{ pipelines: { id: string; name: string }[] }>) {
  return (
    <section
      aria-labelledby="release-gates-heading"
      className={`${CARD} mt-6 space-y-3 p-4`}
      data-testid="release-gates"
    >
      <h2 id="release-gates-heading" className="font-medium">
        Release gates
      </h2>
      <p className={`text-sm ${MUTED}`}>
        A gated pipeline is started by Stageboard at the exact commit once the commit&apos;s checks pass, once per
        commit, and a “Release gate” check run on the commit says what it waits for.
      </p>
      {pipelines.length === 0 ? (
        <p className={`text-sm ${MUTED}`}>No pipeline delivers this repository yet.</p>
      ) : (
        pipelines.map((p) => <PipelineGate key={p.id} pipeline={p} />)
      )}
    </section>
  );
}
