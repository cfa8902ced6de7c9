// Drives a CodePipeline endpoint with the AWS SDK for JavaScript v2 (the `aws-sdk` package): a client
// with its own model, paginators, serializer and error parser, none of them shared with the v3 SDK the
// product uses. v2 is past its end of support and serves here only as that independent test client.
// Modelled errors are caught and reported (code, message, HTTP status) rather than raised.
import { randomUUID } from "node:crypto";
import { types } from "node:util";
import type CodePipeline from "aws-sdk/clients/codepipeline";
import type { AWSError } from "aws-sdk/lib/error";
import type { Request } from "aws-sdk/lib/request";

export const EXECUTION_PAGE = 7;
export const ACTION_PAGE = 10;

/**
 * What v2 reads from the environment when it loads: keep the developer's AWS config and credential
 * files out, and its end-of-support notice quiet. Applied with vi.stubEnv before loading it.
 */
export const V2_ENVIRONMENT: Readonly<Record<string, string | undefined>> = {
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1",
  AWS_SDK_LOAD_CONFIG: undefined,
  AWS_PROFILE: undefined,
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  AWS_EC2_METADATA_DISABLED: "true",
};

export interface ClientFailure {
  code: string | null;
  message: string;
  httpStatus: number;
}

interface Paged {
  pipeline: string;
  pageSizes: number[];
  ids: string[];
}

export interface V2View {
  pipelines: { names: string[]; createdAreDates: boolean };
  getPipeline: { name: string; stages: string[]; pipelineArn: string };
  getPipelineState: { pipelineName: string; stages: string[] };
  executions: Paged & { startTimesAreDates: boolean };
  actionExecutions: Paged;
  approval: {
    pipeline: string;
    stage: string;
    action: string;
    token: string;
    approvedAtIsDate: boolean;
    statusAfter: string | undefined;
  } | null;
  errors: {
    pipelineNotFound: ClientFailure;
    badName: ClientFailure;
    pageTooLarge: ClientFailure;
    unknownToken?: ClientFailure;
    tokenReused?: ClientFailure;
  };
}

/** Loads v2's CodePipeline client (call with V2_ENVIRONMENT in place) and points it at the endpoint. */
export async function v2Client(endpoint: string): Promise<CodePipeline> {
  const { default: Client } = await import("aws-sdk/clients/codepipeline");
  return new Client({
    endpoint,
    region: "us-east-1",
    // Explicit credentials, so v2 never looks for any of its own.
    credentials: { accessKeyId: "AKIDINTEROPTEST", secretAccessKey: "interop-secret" },
    // One attempt: a retry would hide a wrong status or error code.
    maxRetries: 0,
  });
}

/** A real, valid Date: v2 parses timestamps itself, from the epoch seconds on the wire. */
const isDate = (value: unknown): boolean => types.isDate(value) && !Number.isNaN(value.getTime());

function isAwsError(error: unknown): error is AWSError {
  return error instanceof Error && typeof Reflect.get(error, "code") === "string";
}

/** Runs a call that must fail and reports the error as v2 parsed it. */
async function failure(call: () => Promise<unknown>): Promise<ClientFailure> {
  try {
    await call();
  } catch (error) {
    if (!isAwsError(error)) throw error;
    return { code: error.code, message: error.message, httpStatus: error.statusCode ?? 0 };
  }
  return { code: null, message: "call succeeded", httpStatus: 200 };
}

/** Every page of a request, through v2's own paginator (eachPage, driven by its paginators.json). */
function pages<D>(request: Request<D, AWSError>): Promise<D[]> {
  return new Promise((resolve, reject) => {
    const out: D[] = [];
    request.eachPage((error, data) => {
      if (error) {
        reject(error);
        return false;
      }
      // eachPage ends with a call without data.
      if (!data) {
        resolve(out);
        return false;
      }
      out.push(data);
      return true;
    });
  });
}

type Approval = NonNullable<V2View["approval"]>;

/** First Manual approval action InProgress with a token, found through GetPipelineState. */
async function pendingApproval(
  client: CodePipeline,
  names: string[],
): Promise<Omit<Approval, "approvedAtIsDate" | "statusAfter"> | null> {
  for (const name of names) {
    const { pipeline } = await client.getPipeline({ name }).promise();
    const manual = new Set(
      (pipeline?.stages ?? []).flatMap((stage) =>
        stage.actions
          .filter((a) => a.actionTypeId.category === "Approval" && a.actionTypeId.provider === "Manual")
          .map((a) => `${stage.name}/${a.name}`),
      ),
    );
    const state = await client.getPipelineState({ name }).promise();
    for (const stage of state.stageStates ?? []) {
      for (const action of stage.actionStates ?? []) {
        const latest = action.latestExecution;
        const key = `${stage.stageName}/${action.actionName}`;
        if (manual.has(key) && latest?.status === "InProgress" && latest.token) {
          return { pipeline: name, stage: stage.stageName ?? "", action: action.actionName ?? "", token: latest.token };
        }
      }
    }
  }
  return null;
}

/** Lists, reads, pages and approves with v2, and reports what it saw. Changes state: it approves one action. */
export async function driveWithV2(client: CodePipeline): Promise<V2View> {
  const pipelines = (await pages(client.listPipelines({}))).flatMap((p) => p.pipelines ?? []);
  const names = pipelines.map((p) => p.name ?? "");
  const first = names[0] ?? "";
  const declared = await client.getPipeline({ name: first }).promise();
  const state = await client.getPipelineState({ name: first }).promise();

  let busiest: Paged & { startTimesAreDates: boolean } = {
    pipeline: "",
    pageSizes: [],
    ids: [],
    startTimesAreDates: false,
  };
  for (const name of names) {
    const found = await pages(client.listPipelineExecutions({ pipelineName: name, maxResults: EXECUTION_PAGE }));
    const summaries = found.flatMap((p) => p.pipelineExecutionSummaries ?? []);
    if (summaries.length > busiest.ids.length) {
      busiest = {
        pipeline: name,
        pageSizes: found.map((p) => p.pipelineExecutionSummaries?.length ?? 0),
        ids: summaries.map((e) => e.pipelineExecutionId ?? ""),
        startTimesAreDates: summaries.every((e) => isDate(e.startTime)),
      };
    }
  }
  const actionPages = await pages(
    client.listActionExecutions({ pipelineName: busiest.pipeline, maxResults: ACTION_PAGE }),
  );

  const view: V2View = {
    pipelines: { names, createdAreDates: pipelines.every((p) => isDate(p.created)) },
    getPipeline: {
      name: declared.pipeline?.name ?? "",
      stages: (declared.pipeline?.stages ?? []).map((s) => s.name),
      pipelineArn: declared.metadata?.pipelineArn ?? "",
    },
    getPipelineState: {
      pipelineName: state.pipelineName ?? "",
      stages: (state.stageStates ?? []).map((s) => s.stageName ?? ""),
    },
    executions: busiest,
    actionExecutions: {
      pipeline: busiest.pipeline,
      pageSizes: actionPages.map((p) => p.actionExecutionDetails?.length ?? 0),
      ids: actionPages.flatMap((p) => (p.actionExecutionDetails ?? []).map((a) => a.actionExecutionId ?? "")),
    },
    approval: null,
    errors: {
      pipelineNotFound: await failure(() => client.getPipeline({ name: "no-such-pipeline" }).promise()),
      badName: await failure(() => client.getPipelineState({ name: "not a valid name!" }).promise()),
      pageTooLarge: await failure(() =>
        client.listPipelineExecutions({ pipelineName: first, maxResults: 1000 }).promise(),
      ),
    },
  };

  const pending = await pendingApproval(client, names);
  if (!pending) return view;
  const target = { pipelineName: pending.pipeline, stageName: pending.stage, actionName: pending.action };
  // A well-formed token that was never issued, sent while the approval is still waiting.
  view.errors.unknownToken = await failure(() =>
    client
      .putApprovalResult({ ...target, result: { summary: "Nope", status: "Rejected" }, token: randomUUID() })
      .promise(),
  );
  const approved = await client
    .putApprovalResult({
      ...target,
      result: { summary: "Approved by the interop client", status: "Approved" },
      token: pending.token,
    })
    .promise();
  view.errors.tokenReused = await failure(() =>
    client
      .putApprovalResult({ ...target, result: { summary: "Again", status: "Rejected" }, token: pending.token })
      .promise(),
  );
  const after = await client.getPipelineState({ name: pending.pipeline }).promise();
  const statusAfter = after.stageStates
    ?.find((s) => s.stageName === pending.stage)
    ?.actionStates?.find((a) => a.actionName === pending.action)?.latestExecution?.status;
  view.approval = { ...pending, approvedAtIsDate: isDate(approved.approvedAt), statusAfter };
  return view;
}
