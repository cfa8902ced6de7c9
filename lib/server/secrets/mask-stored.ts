import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { sanitizeConfiguration, sanitizeDeclaration, sanitizeVariableDeclarations } from "@/lib/server/aws/sanitize";
import type { Db } from "@/lib/server/db/client";
import { maskEntries, maskValue } from "@/lib/server/secrets/mask";

// The sync engine masks secrets before storing (lib/server/aws/map-*.ts); rows stored before it did,
// or before SECRET_NAME_PATTERNS was widened, still hold them. This rewrites those rows with the very
// functions the engine stores through, so a re-run changes nothing (masking is idempotent), and a row
// is written only when masking changed it.

export type MaskedCounts = Record<
  "pipelines" | "definitions" | "stages" | "actions" | "executions" | "actionExecutions",
  { scanned: number; masked: number }
>;

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** JSON with object keys sorted: Postgres jsonb does not keep key order, so a plain stringify would differ. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

function maskResolvedVariables(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((item: unknown) => {
    if (!item || typeof item !== "object") return item;
    const variable = item as Record<string, unknown>;
    const name = typeof variable.name === "string" ? variable.name : "";
    return typeof variable.resolvedValue === "string"
      ? { ...variable, resolvedValue: maskValue(name, variable.resolvedValue) }
      : variable;
  });
}

function maskOutputs(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const strings = Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
  return maskEntries(strings);
}

/** Pages through one table by its key, rewriting each row whose JSON masking changes. */
async function rewrite<Row>(options: {
  batchSize: number;
  page: (after: Row | null, take: number) => Promise<Row[]>;
  mask: (row: Row) => Promise<boolean>;
}): Promise<{ scanned: number; masked: number }> {
  let scanned = 0;
  let masked = 0;
  let last: Row | null = null;
  for (;;) {
    const rows = await options.page(last, options.batchSize);
    for (const row of rows) if (await options.mask(row)) masked++;
    scanned += rows.length;
    if (rows.length < options.batchSize) return { scanned, masked };
    last = rows[rows.length - 1] ?? null;
  }
}

/** Masks what is already stored; returns per-table counts of rows read and rows rewritten. */
export async function maskStoredSecrets(db: Db, { batchSize = 500 } = {}): Promise<MaskedCounts> {
  const pipelines = await rewrite<{ id: string; variables: unknown }>({
    batchSize,
    page: (after, take) =>
      db.pipeline.findMany({
        where: { variables: { not: Prisma.DbNull }, ...(after ? { id: { gt: after.id } } : {}) },
        select: { id: true, variables: true },
        orderBy: { id: "asc" },
        take,
      }),
    mask: async ({ id, variables }) => {
      const clean = sanitizeVariableDeclarations(variables);
      if (!Array.isArray(variables) || same(clean, variables)) return false;
      await db.pipeline.update({ where: { id }, data: { variables: json(clean) } });
      return true;
    },
  });
  const definitions = await rewrite<{ pipelineId: string; version: number; definition: unknown }>({
    batchSize,
    page: (after, take) =>
      db.pipelineDefinition.findMany({
        where: after
          ? {
              OR: [
                { pipelineId: { gt: after.pipelineId } },
                { pipelineId: after.pipelineId, version: { gt: after.version } },
              ],
            }
          : {},
        select: { pipelineId: true, version: true, definition: true },
        orderBy: [{ pipelineId: "asc" }, { version: "asc" }],
        take,
      }),
    mask: async ({ pipelineId, version, definition }) => {
      const clean = sanitizeDeclaration(definition);
      if (same(clean, definition)) return false;
      await db.pipelineDefinition.update({
        where: { pipelineId_version: { pipelineId, version } },
        data: { definition: json(clean ?? {}) },
      });
      return true;
    },
  });
  const stages = await rewrite<{ pipelineId: string; name: string; conditions: unknown }>({
    batchSize,
    page: (after, take) =>
      db.stage.findMany({
        where: {
          conditions: { not: Prisma.DbNull },
          ...(after
            ? {
                OR: [
                  { pipelineId: { gt: after.pipelineId } },
                  { pipelineId: after.pipelineId, name: { gt: after.name } },
                ],
              }
            : {}),
        },
        select: { pipelineId: true, name: true, conditions: true },
        orderBy: [{ pipelineId: "asc" }, { name: "asc" }],
        take,
      }),
    mask: async ({ pipelineId, name, conditions }) => {
      const clean = sanitizeDeclaration(conditions);
      if (same(clean, conditions)) return false;
      await db.stage.update({
        where: { pipelineId_name: { pipelineId, name } },
        data: { conditions: clean === null ? Prisma.DbNull : json(clean) },
      });
      return true;
    },
  });
  const actions = await rewrite<{ pipelineId: string; stageName: string; name: string; configuration: unknown }>({
    batchSize,
    page: (after, take) =>
      db.action.findMany({
        where: {
          configuration: { not: Prisma.DbNull },
          ...(after
            ? {
                OR: [
                  { pipelineId: { gt: after.pipelineId } },
                  { pipelineId: after.pipelineId, stageName: { gt: after.stageName } },
                  { pipelineId: after.pipelineId, stageName: after.stageName, name: { gt: after.name } },
                ],
              }
            : {}),
        },
        select: { pipelineId: true, stageName: true, name: true, configuration: true },
        orderBy: [{ pipelineId: "asc" }, { stageName: "asc" }, { name: "asc" }],
        take,
      }),
    mask: async ({ pipelineId, stageName, name, configuration }) => {
      if (!configuration || typeof configuration !== "object" || Array.isArray(configuration)) return false;
      const clean = sanitizeConfiguration(configuration as Record<string, string>);
      if (same(clean, configuration)) return false;
      await db.action.update({
        where: { pipelineId_stageName_name: { pipelineId, stageName, name } },
        data: { configuration: clean === null ? Prisma.DbNull : json(clean) },
      });
      return true;
    },
  });
  const executions = await rewrite<{ id: string; variables: unknown }>({
    batchSize,
    page: (after, take) =>
      db.execution.findMany({
        where: { variables: { not: Prisma.DbNull }, ...(after ? { id: { gt: after.id } } : {}) },
        select: { id: true, variables: true },
        orderBy: { id: "asc" },
        take,
      }),
    mask: async ({ id, variables }) => {
      const clean = maskResolvedVariables(variables);
      if (same(clean, variables)) return false;
      await db.execution.update({ where: { id }, data: { variables: json(clean) } });
      return true;
    },
  });
  const actionExecutions = await rewrite<{ id: string; outputVariables: unknown }>({
    batchSize,
    page: (after, take) =>
      db.actionExecution.findMany({
        where: { outputVariables: { not: Prisma.DbNull }, ...(after ? { id: { gt: after.id } } : {}) },
        select: { id: true, outputVariables: true },
        orderBy: { id: "asc" },
        take,
      }),
    mask: async ({ id, outputVariables }) => {
      const clean = maskOutputs(outputVariables);
      if (same(clean, outputVariables)) return false;
      await db.actionExecution.update({ where: { id }, data: { outputVariables: json(clean) } });
      return true;
    },
  });
  return { pipelines, definitions, stages, actions, executions, actionExecutions };
}
