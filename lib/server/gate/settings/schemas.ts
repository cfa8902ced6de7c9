import { z } from "zod";

// What GET/PUT /api/pipelines/[id]/gate and the release gate form exchange. Isomorphic (no server-only): the route
// validates with it, the browser imports its types.

export const GATE_CHECK_MODES = ["all", "required", "named"] as const;
export type GateCheckMode = (typeof GATE_CHECK_MODES)[number];
export const GATE_RELEASE_ORDERS = ["newest", "each"] as const;
export type GateReleaseOrder = (typeof GATE_RELEASE_ORDERS)[number];

export const GATE_BRANCHES_MAX = 20;
export const GATE_CHECK_NAMES_MAX = 50;
/** GitHub's branch and check run names stop at 255 characters. */
export const GATE_NAME_MAX = 255;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A branch pattern or check name as stored (trimmed): 1–255 characters, no control characters. */
const nameSchema = (what: string) =>
  z
    .string()
    .max(4 * GATE_NAME_MAX)
    .transform((raw, ctx) => {
      const name = raw.trim();
      if (!name) ctx.addIssue({ code: "custom", message: `a ${what} needs at least one character` });
      else if (name.length > GATE_NAME_MAX)
        ctx.addIssue({ code: "custom", message: `a ${what} is at most ${GATE_NAME_MAX} characters` });
      else if (CONTROL.test(name))
        ctx.addIssue({ code: "custom", message: `a ${what} may not hold control characters` });
      else return name;
      return z.NEVER;
    });

/**
 * PUT body: the fields given replace the stored ones (or the defaults when the pipeline has no gate yet), fields
 * left out stay. `{ "enabled": false }` turns the gate off and keeps its settings for the next time.
 */
export const gateSettingsUpdateSchema = z
  .object({
    enabled: z.boolean().optional(),
    branches: z.array(nameSchema("branch pattern")).max(GATE_BRANCHES_MAX).optional(),
    checks: z.enum(GATE_CHECK_MODES).optional(),
    checkNames: z.array(nameSchema("check name")).max(GATE_CHECK_NAMES_MAX).optional(),
    releaseOrder: z.enum(GATE_RELEASE_ORDERS).optional(),
  })
  .strict();
export type GateSettingsUpdate = z.output<typeof gateSettingsUpdateSchema>;

export type GateSettings = {
  enabled: boolean;
  branches: string[];
  checks: GateCheckMode;
  checkNames: string[];
  releaseOrder: GateReleaseOrder;
};

export type GateOwnTrigger = { kind: string; sourceActionName: string; description: string; seen: boolean };

export type GateCommitView = {
  sha: string;
  branch: string;
  state: string;
  verdict: { passed: string[]; failed: string[]; waiting: string[] } | null;
  executionId: string | null;
  lastError: string | null;
  supersededBy: string | null;
  updatedAt: string;
};

export type GateSettingsView = {
  pipeline: { id: string; name: string; repository: string | null; sourceBranch: string | null };
  /** The stored settings, or the defaults (off) when the pipeline has never had a gate. */
  settings: GateSettings & { stored: boolean; updatedByLogin: string | null; updatedAt: string | null };
  commitStart: { ok: true; actionName: string } | { ok: false; reason: string };
  ownTriggers: GateOwnTrigger[];
  githubApp: { configured: boolean };
  recentCommits: GateCommitView[];
};
