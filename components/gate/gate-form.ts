import type {
  GateCheckMode,
  GateReleaseOrder,
  GateSettingsUpdate,
  GateSettingsView,
} from "@/lib/server/gate/settings/schemas";

// The release gate form's state and the PUT body it sends (pure). Branch patterns and check names are typed one a
// line; blank lines are dropped, the route trims and checks each one.

export type GateForm = {
  enabled: boolean;
  branches: string;
  checks: GateCheckMode;
  checkNames: string;
  releaseOrder: GateReleaseOrder;
};

export const gateFormFromView = (view: GateSettingsView): GateForm => ({
  enabled: view.settings.enabled,
  branches: view.settings.branches.join("\n"),
  checks: view.settings.checks,
  checkNames: view.settings.checkNames.join("\n"),
  releaseOrder: view.settings.releaseOrder,
});

const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

export const gateUpdateFromForm = (form: GateForm): GateSettingsUpdate => ({
  enabled: form.enabled,
  branches: lines(form.branches),
  checks: form.checks,
  checkNames: lines(form.checkNames),
  releaseOrder: form.releaseOrder,
});

/** GitHub's short SHA, as its pages show one. */
export const shortSha = (sha: string) => sha.slice(0, 7);

export const STATE_WORDS: Record<string, string> = {
  waiting: "waiting for checks",
  blocked: "blocked: a check failed",
  green: "checks passed",
  releasing: "starting the pipeline",
  released: "released",
  skipped: "skipped for a newer commit",
  refused: "refused: cannot be started",
};
export const stateWords = (state: string) => STATE_WORDS[state] ?? state;
