// The AWS endpoint: POST / routed by X-Amz-Target. CodePipeline speaks awsJson1_1; CodeConnections speaks
// awsJson1_0 under its current target prefix and under the one of its CodeStar Connections days (the npm
// client still sends that one). Any SigV4 signature passes; temporary credentials from the sandbox's STS act as
// their role, whose permissions are checked against the operation's resource (see ../iam).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { AwsError } from "../core/errors";
import { actionExecutionOps } from "../ops/action-executions";
import { connectionOps } from "../ops/connections";
import type { Handler, OpContext } from "../ops/context";
import { controlOps } from "../ops/control";
import { executionOps } from "../ops/executions";
import { pipelineOps } from "../ops/pipelines";
import { stateOps } from "../ops/state";
import { validateInput } from "../validation/index";
import type { Faults } from "../control/faults";
import type { Stats } from "../control/stats";
import type { Iam } from "../iam/caller";
import { resourceOf } from "../iam/resources";

interface Service {
  handlers: Record<string, Handler>;
  contentType: string;
  /** Name of the error message member in the service's model. */
  messageMember: "message" | "Message";
  /** Service prefix of its IAM actions. */
  iamPrefix: string;
}

const CODEPIPELINE: Service = {
  handlers: { ...pipelineOps, ...stateOps, ...executionOps, ...actionExecutionOps, ...controlOps },
  contentType: "application/x-amz-json-1.1",
  messageMember: "message",
  iamPrefix: "codepipeline",
};
const CONNECTIONS: Service = {
  handlers: connectionOps,
  contentType: "application/x-amz-json-1.0",
  messageMember: "Message",
  iamPrefix: "codestar-connections",
};
const SERVICES: [prefix: string, service: Service][] = [
  ["CodePipeline_20150709.", CODEPIPELINE],
  ["CodeConnections_20231201.", { ...CONNECTIONS, iamPrefix: "codeconnections" }],
  ["CodeStar_connections_20191201.", CONNECTIONS],
];
/** Operations whose output the model leaves empty: answered with an empty body, as Smithy recommends. */
const NO_OUTPUT = new Set([
  "EnableStageTransition",
  "DisableStageTransition",
  "OverrideStageCondition",
  "DeletePipeline",
]);

export interface AwsEndpoint {
  context: () => Omit<OpContext, "actor">;
  iam: Iam;
  faults: Faults;
  stats: Stats;
  /** Brings the simulation up to date before a request reads it (real clock only). */
  sync: () => void;
  onResponse?: (operation: string, status: number, body: unknown) => void;
}

function send(res: ServerResponse, contentType: string, status: number, body: unknown, errorType?: string): void {
  const headers: Record<string, string> = { "content-type": contentType, "x-amzn-requestid": randomUUID() };
  if (errorType) headers["x-amzn-errortype"] = errorType;
  const text = body === undefined ? "" : JSON.stringify(body);
  headers["content-length"] = String(Buffer.byteLength(text));
  res.writeHead(status, headers).end(text);
}

export async function handleAws(
  endpoint: AwsEndpoint,
  req: IncomingMessage,
  res: ServerResponse,
  rawBody: string,
): Promise<void> {
  const target = String(req.headers["x-amz-target"] ?? "");
  const [prefix, service] = SERVICES.find(([p]) => target.startsWith(p)) ?? ["", CODEPIPELINE];
  const operation = prefix ? target.slice(prefix.length) : "";
  const reply = (status: number, body: unknown, errorType?: string) => {
    send(res, service.contentType, status, body, errorType);
    endpoint.onResponse?.(operation || target, status, body ?? {});
  };
  const fail = (error: AwsError) => {
    endpoint.stats.error(error.type);
    reply(error.status, { __type: error.type, [service.messageMember]: error.message }, error.type);
  };
  const handler = Object.hasOwn(service.handlers, operation) ? service.handlers[operation] : undefined;
  if (req.method !== "POST" || !handler)
    return fail(new AwsError("UnknownOperationException", `The operation '${target}' is not supported.`));
  const identified = endpoint.iam.identify(req.headers);
  if (identified.kind === "refused") return fail(new AwsError(identified.type, identified.message));
  const { caller } = identified;
  endpoint.stats.request(operation);
  if (endpoint.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, endpoint.faults.latencyMs));
  const ctx: OpContext = { ...endpoint.context(), actor: caller.arn };
  if (endpoint.faults.denied(operation)) {
    return fail(
      new AwsError(
        "AccessDeniedException",
        `User: ${ctx.actor} is not authorized to perform: ${service.iamPrefix}:${operation} because no identity-based policy allows the ${service.iamPrefix}:${operation} action`,
      ),
    );
  }
  if (!endpoint.faults.admit(operation, ctx.world.clock.now())) {
    endpoint.stats.throttled++;
    return fail(new AwsError("ThrottlingException", "Rate exceeded"));
  }
  if (endpoint.faults.shouldFail())
    return fail(new AwsError("InternalFailure", "We encountered an internal error. Please try again.", 500));
  let input: unknown;
  try {
    input = rawBody.trim() === "" ? {} : JSON.parse(rawBody);
  } catch {
    return fail(new AwsError("SerializationException", "Start of structure or map found where not expected."));
  }
  if (typeof input !== "object" || input === null || Array.isArray(input))
    return fail(new AwsError("SerializationException", "Start of list found where not expected."));
  const invalid = service === CODEPIPELINE ? validateInput(operation, input) : undefined;
  if (invalid) return fail(new AwsError("ValidationException", invalid));
  const action = `${service.iamPrefix}:${operation}`;
  const denied = endpoint.iam.denial(
    caller,
    action,
    resourceOf(ctx.world.env, operation, input as Record<string, unknown>),
  );
  if (denied) return fail(new AwsError("AccessDeniedException", denied));
  endpoint.sync();
  try {
    const result = handler(ctx, input as Record<string, unknown>);
    reply(200, NO_OUTPUT.has(operation) ? undefined : result);
  } catch (error) {
    if (error instanceof AwsError) return fail(error);
    console.error(`sandbox: ${operation} failed`, error);
    fail(new AwsError("InternalFailure", "We encountered an internal error. Please try again.", 500));
  }
}
