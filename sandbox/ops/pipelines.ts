// ListPipelines, GetPipeline, CreatePipeline, UpdatePipeline, DeletePipeline, ListTagsForResource.
import type { PipelineDeclaration, Tag } from "@aws-sdk/client-codepipeline";
import { AwsError } from "../core/errors";
import type { PipelineRecord } from "../core/types";
import { arnOf } from "../core/world";
import { currentDeclaration } from "../sim/lookup";
import { startFromPush } from "../sim/tasks";
import { page } from "../wire/page-token";
import { maskedDeclaration, pipelineSummary, seconds } from "../wire/shapes";
import { maxResults, pipelineNamed, type Handler, type OpContext } from "./context";

const listPipelines: Handler = (ctx, input) => {
  const names = [...ctx.world.pipelines.keys()].sort();
  const { start, end, next } = page(
    ctx.secret,
    "ListPipelines",
    names.length,
    maxResults(input, 1000),
    input.nextToken as string | undefined,
  );
  const pipelines = names.slice(start, end).map((n) => pipelineSummary(ctx.world.pipelines.get(n) as PipelineRecord));
  return next ? { pipelines, nextToken: next } : { pipelines };
};

const getPipeline: Handler = (ctx, input) => {
  const p = pipelineNamed(ctx, input.name);
  const version = typeof input.version === "number" ? input.version : p.declarations.length;
  const decl = p.declarations[version - 1];
  if (!decl) throw new AwsError("PipelineVersionNotFoundException", `Pipeline '${p.name}' has no version ${version}.`);
  return {
    pipeline: maskedDeclaration(decl),
    metadata: { pipelineArn: arnOf(ctx.world, p.name), created: seconds(p.createdMs), updated: seconds(p.updatedMs) },
  };
};

/** Structural checks the service makes beyond the input shape. */
function checkStructure(decl: PipelineDeclaration): void {
  const stages = decl.stages ?? [];
  if (stages.length < 2)
    throw new AwsError("InvalidStructureException", "A pipeline must contain at least two stages.");
  if (!stages[0]?.actions?.every((a) => a.actionTypeId?.category === "Source"))
    throw new AwsError("InvalidStructureException", "The first stage of a pipeline must contain only source actions.");
  const stageNames = new Set<string>();
  for (const s of stages) {
    if (stageNames.has(s.name ?? ""))
      throw new AwsError("InvalidStageDeclarationException", `Stage name '${s.name ?? ""}' is used more than once.`);
    stageNames.add(s.name ?? "");
    const actionNames = new Set<string>();
    for (const a of s.actions ?? []) {
      if (actionNames.has(a.name ?? ""))
        throw new AwsError(
          "InvalidActionDeclarationException",
          `Action name '${a.name ?? ""}' is used more than once in stage '${s.name ?? ""}'.`,
        );
      actionNames.add(a.name ?? "");
    }
  }
  if (decl.pipelineType !== "V2" && decl.executionMode && decl.executionMode !== "SUPERSEDED") {
    throw new AwsError(
      "ValidationException",
      `Execution mode ${decl.executionMode} is only supported for V2 pipelines.`,
    );
  }
}

function normalised(decl: PipelineDeclaration, version: number): PipelineDeclaration {
  return {
    ...decl,
    version,
    pipelineType: decl.pipelineType ?? "V1",
    executionMode: decl.executionMode ?? "SUPERSEDED",
  };
}

const createPipeline: Handler = (ctx, input) => {
  const decl = input.pipeline as PipelineDeclaration;
  const tags = (input.tags as Tag[] | undefined) ?? [];
  const name = decl.name ?? "";
  if (ctx.world.pipelines.has(name))
    throw new AwsError(
      "PipelineNameInUseException",
      `A pipeline with the name '${name}' already exists in account '${ctx.world.env.account}'.`,
    );
  checkStructure(decl);
  const now = ctx.world.clock.now();
  const p: PipelineRecord = {
    name,
    declarations: [normalised(decl, 1)],
    createdMs: now,
    updatedMs: now,
    tags,
    transitions: {},
    profile: { failureRate: 0, autoApproveRate: 0, activityEveryMs: 0 },
    waiting: {},
    occupant: {},
    latestStage: {},
    live: [],
  };
  ctx.world.pipelines.set(name, p);
  // Like the real service, a new pipeline runs once right away.
  startFromPush(ctx.world, p, { triggerType: "CreatePipeline", triggerDetail: ctx.actor });
  return { pipeline: maskedDeclaration(currentDeclaration(p)), ...(tags.length ? { tags } : {}) };
};

const updatePipeline: Handler = (ctx, input) => {
  const decl = input.pipeline as PipelineDeclaration;
  const p = ctx.world.pipelines.get(decl.name ?? "");
  if (!p)
    throw new AwsError(
      "ValidationException",
      `Pipeline '${decl.name ?? ""}' does not exist in account '${ctx.world.env.account}'.`,
    );
  checkStructure(decl);
  const previous = currentDeclaration(p);
  // A masked token means "unchanged": keep the secret the pipeline already has.
  const stages = decl.stages?.map((s) => ({
    ...s,
    actions: s.actions?.map((a) => {
      if (a.configuration?.OAuthToken !== "****") return a;
      const old = previous.stages?.flatMap((x) => x.actions ?? []).find((x) => x.name === a.name)
        ?.configuration?.OAuthToken;
      return { ...a, configuration: { ...a.configuration, OAuthToken: old ?? "" } };
    }),
  }));
  p.declarations.push(normalised({ ...decl, ...(stages ? { stages } : {}) }, p.declarations.length + 1));
  p.updatedMs = ctx.world.clock.now();
  return { pipeline: maskedDeclaration(currentDeclaration(p)) };
};

const deletePipeline: Handler = (ctx, input) => {
  const p = ctx.world.pipelines.get(String(input.name));
  if (!p) return {};
  for (const id of p.live) ctx.world.executions.delete(id);
  for (const [token, ref] of ctx.world.tokens) if (ref.pipelineName === p.name) ctx.world.tokens.delete(token);
  ctx.world.pipelines.delete(p.name);
  return {};
};

const listTagsForResource: Handler = (ctx: OpContext, input) => {
  const arn = typeof input.resourceArn === "string" ? input.resourceArn : "";
  const match = /^arn:aws[a-z-]*:codepipeline:([a-z0-9-]+):(\d{12}):([A-Za-z0-9.@\-_]+)$/.exec(arn);
  if (!match) throw new AwsError("InvalidArnException", `The ARN '${arn}' is not valid.`);
  const p =
    match[1] === ctx.world.env.region && match[2] === ctx.world.env.account
      ? ctx.world.pipelines.get(match[3] ?? "")
      : undefined;
  if (!p) throw new AwsError("ResourceNotFoundException", `The resource with the ARN '${arn}' was not found.`);
  return { tags: p.tags };
};

export const pipelineOps: Record<string, Handler> = {
  ListPipelines: listPipelines,
  GetPipeline: getPipeline,
  CreatePipeline: createPipeline,
  UpdatePipeline: updatePipeline,
  DeletePipeline: deletePipeline,
  ListTagsForResource: listTagsForResource,
};
