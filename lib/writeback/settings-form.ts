import {
  checkEnvironmentName,
  WRITEBACK_SWITCHES,
  type StageEnvironmentInput,
  type StageEnvironmentView,
  type WritebackSettingsView,
  type WritebackSwitch,
} from "./settings-schemas";

// The write-back section's forms (pure): what the inputs start from, and the PUT body they make, or why not.

/** "" leaves the switch to the instance. */
export type SwitchChoice = "" | "on" | "off";
export type SwitchesForm = Record<WritebackSwitch, SwitchChoice>;

export function switchesFormFromView(view: WritebackSettingsView): SwitchesForm {
  const choice = (override: boolean | null): SwitchChoice => (override === null ? "" : override ? "on" : "off");
  return Object.fromEntries(WRITEBACK_SWITCHES.map((k) => [k, choice(view.switches[k].override)])) as SwitchesForm;
}

export function switchesUpdateFromForm(form: SwitchesForm): Record<WritebackSwitch, boolean | null> {
  return Object.fromEntries(WRITEBACK_SWITCHES.map((k) => [k, form[k] === "" ? null : form[k] === "on"])) as Record<
    WritebackSwitch,
    boolean | null
  >;
}

/** "default": the stage takes what its name gives; "none": no deployment; "environment": the name typed. */
export type StageMode = "default" | "none" | "environment";
export type StageForm = {
  stage: string;
  mode: StageMode;
  environment: string;
  production: boolean;
  transient: boolean;
};

export function stageFormFromView(stage: StageEnvironmentView): StageForm {
  const shown = stage.target ?? stage.default;
  return {
    stage: stage.stage,
    mode: stage.source === "default" ? "default" : stage.target ? "environment" : "none",
    environment: shown?.environment ?? stage.stage,
    production: shown?.production ?? false,
    transient: shown?.transient ?? false,
  };
}

export function stagesUpdateFromForm(
  stages: readonly StageForm[],
): { ok: true; stages: StageEnvironmentInput[] } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const out: StageEnvironmentInput[] = [];
  for (const stage of stages) {
    if (stage.mode === "default") continue;
    if (stage.mode === "none") {
      out.push({ stage: stage.stage, environment: null });
      continue;
    }
    const checked = checkEnvironmentName(stage.environment);
    if (!checked.ok) errors[stage.stage] = `The environment ${checked.message}`;
    else
      out.push({
        stage: stage.stage,
        environment: checked.name,
        production: stage.production,
        transient: stage.transient,
      });
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, stages: out };
}
