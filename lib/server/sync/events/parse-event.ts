import "server-only";

// EventBridge events from CodePipeline (FACTS §4): the three detail-types, one object or an array as an
// API destination sends them. Everything is untrusted: shapes are checked and strings bounded.
import { z } from "zod";

export const DETAIL_TYPES = [
  "CodePipeline Pipeline Execution State Change",
  "CodePipeline Stage Execution State Change",
  "CodePipeline Action Execution State Change",
] as const;

const name = z.string().regex(/^[A-Za-z0-9.@\-_]{1,100}$/);

const eventSchema = z.object({
  id: z.string().min(1).max(200),
  "detail-type": z.enum(DETAIL_TYPES),
  source: z.literal("aws.codepipeline"),
  account: z.string().regex(/^\d{12}$/),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/),
  time: z.string().max(40).optional(),
  detail: z.object({
    pipeline: name,
    "execution-id": z.string().min(1).max(100),
    state: z.string().min(1).max(40),
    stage: name.optional(),
    action: name.optional(),
  }),
});

export interface PipelineEvent {
  id: string;
  level: "pipeline" | "stage" | "action";
  account: string;
  region: string;
  pipeline: string;
  executionId: string;
  state: string;
  stage: string | null;
  action: string | null;
}

export const MAX_EVENTS_PER_REQUEST = 100;

export type ParseResult = { ok: true; events: PipelineEvent[] } | { ok: false; status: 400 | 422; error: string };

export function parseEvents(raw: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, status: 400, error: "body must be JSON" };
  }
  const list = Array.isArray(json) ? json : [json];
  if (list.length === 0 || list.length > MAX_EVENTS_PER_REQUEST)
    return { ok: false, status: 422, error: `expected 1 to ${MAX_EVENTS_PER_REQUEST} events` };
  const events: PipelineEvent[] = [];
  for (const item of list) {
    const parsed = eventSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        ok: false,
        status: 422,
        error: `invalid event: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`.trim(),
      };
    }
    const e = parsed.data;
    events.push({
      id: e.id,
      level:
        e["detail-type"] === DETAIL_TYPES[0] ? "pipeline" : e["detail-type"] === DETAIL_TYPES[1] ? "stage" : "action",
      account: e.account,
      region: e.region,
      pipeline: e.detail.pipeline,
      executionId: e.detail["execution-id"],
      state: e.detail.state,
      stage: e.detail.stage ?? null,
      action: e.detail.action ?? null,
    });
  }
  return { ok: true, events };
}
