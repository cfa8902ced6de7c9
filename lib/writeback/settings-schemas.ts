import { z } from "zod";

// What GET/PUT /api/repositories/[owner]/[name]/writeback and the repository settings page exchange (isomorphic: the
// route, the server and the browser validate alike).

export const WRITEBACK_SWITCHES = ["checkRuns", "statuses", "stageStatuses", "deployments"] as const;
export type WritebackSwitch = (typeof WRITEBACK_SWITCHES)[number];

export const SWITCH_LABELS: Record<WritebackSwitch, string> = {
  checkRuns: "Check runs",
  statuses: "Commit statuses",
  stageStatuses: "Stage statuses",
  deployments: "Deployments",
};

/** GitHub refuses environment names over 255 characters; a control character would reach GitHub's pages verbatim. */
export const ENVIRONMENT_NAME_MAX = 255;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Pure: an environment name as stored (trimmed), or why it cannot be one. */
export function checkEnvironmentName(raw: string): { ok: true; name: string } | { ok: false; message: string } {
  const name = raw.trim();
  if (!name) return { ok: false, message: "needs a name (or choose none)" };
  if (name.length > ENVIRONMENT_NAME_MAX)
    return { ok: false, message: `is longer than GitHub's ${ENVIRONMENT_NAME_MAX} characters` };
  if (CONTROL.test(name)) return { ok: false, message: "may not hold control characters" };
  return { ok: true, name };
}

export const environmentNameSchema = z
  .string()
  .max(4 * ENVIRONMENT_NAME_MAX)
  .transform((raw, ctx) => {
    const checked = checkEnvironmentName(raw);
    if (checked.ok) return checked.name;
    ctx.addIssue({ code: "custom", message: checked.message });
    return z.NEVER;
  });

const pipelineIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/, "is not a pipeline id");
// As AWS names stages.
const stageNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9.@_-]+$/, "is not a stage name");

/** One stage's environment: a name, or null for none (the stage makes no deployment). */
export const stageEnvironmentSchema = z
  .object({
    stage: stageNameSchema,
    environment: environmentNameSchema.nullable(),
    production: z.boolean().default(false),
    transient: z.boolean().default(false),
  })
  .strict();
export type StageEnvironmentInput = z.input<typeof stageEnvironmentSchema>;

/**
 * PUT body. `switches`: a switch given as true/false is the repository's own, null returns it to the instance's, one
 * left out stays as it is. `pipeline`: that pipeline's stage mapping replaced (`stages`, stages not listed take the
 * default) or cleared (`stages: null`, every stage back to the default).
 */
export const writebackSettingsUpdateSchema = z
  .object({
    switches: z
      .object(
        Object.fromEntries(WRITEBACK_SWITCHES.map((k) => [k, z.boolean().nullable().optional()])) as {
          [K in WritebackSwitch]: z.ZodOptional<z.ZodNullable<z.ZodBoolean>>;
        },
      )
      .strict()
      .optional(),
    pipeline: z
      .object({
        pipelineId: pipelineIdSchema,
        stages: z
          .array(stageEnvironmentSchema)
          .max(100)
          .nullable()
          .refine((stages) => !stages || new Set(stages.map((s) => s.stage)).size === stages.length, {
            message: "names a stage twice",
          }),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((body) => body.switches !== undefined || body.pipeline !== undefined, {
    message: "needs switches or a pipeline's stages",
  });
export type WritebackSettingsUpdate = z.input<typeof writebackSettingsUpdateSchema>;

/** Where a stage deploys; null: nowhere. */
export type EnvironmentTargetView = { environment: string; production: boolean; transient: boolean } | null;

export type SwitchView = {
  /** What the repository's write-back does now (stage statuses: only while statuses are on too). */
  effective: boolean;
  /** The instance's default (WRITEBACK_*). */
  instance: boolean;
  /** The repository's own; null: the instance's applies. */
  override: boolean | null;
};

export type StageEnvironmentView = {
  stage: string;
  /** Stored for this pipeline, or the default a stage's name gives. */
  source: "stored" | "default";
  target: EnvironmentTargetView;
  /** What the stage's name would give. */
  default: EnvironmentTargetView;
};

export type WritebackSettingsView = {
  repository: string;
  switches: Record<WritebackSwitch, SwitchView>;
  pipelines: { id: string; name: string; stages: StageEnvironmentView[] }[];
};
