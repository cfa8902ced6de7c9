// STS at the sandbox's endpoint, in the Query protocol the SDK's STS client speaks: a form-encoded POST
// (`Action=AssumeRole&Version=2011-06-15&…`) answered in XML. AssumeRole hands out temporary credentials bound to
// a configured role; GetCallerIdentity names the caller. Errors come back as STS sends them (ErrorResponse).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { assumedRoleArn, type Iam } from "../iam/caller";
import { issueCredentials } from "../iam/credentials";
import { roleNameOf } from "../iam/roles";

const NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const VERSION = "2011-06-15";
const DEFAULT_DURATION = 3600;
const CHAINED_LIMIT = 3600;

class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A Query-protocol request: form-encoded and not routed by X-Amz-Target. */
export function isStsRequest(req: IncomingMessage): boolean {
  const type = String(req.headers["content-type"] ?? "");
  return req.headers["x-amz-target"] === undefined && type.startsWith("application/x-www-form-urlencoded");
}

function xml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function send(res: ServerResponse, status: number, body: string, requestId: string): void {
  res
    .writeHead(status, {
      "content-type": "text/xml",
      "content-length": String(Buffer.byteLength(body)),
      "x-amzn-requestid": requestId,
    })
    .end(body);
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function invalid(value: string | null, member: string, constraint: string): StsError {
  const shown = value === null ? "null" : `'${value}'`;
  return new StsError(
    "ValidationError",
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

function assumeRole(iam: Iam, callerArn: string, chained: boolean, form: URLSearchParams): string {
  const arn = form.get("RoleArn");
  const sessionName = form.get("RoleSessionName");
  const durationText = form.get("DurationSeconds");
  if (arn === null) throw invalid(null, "roleArn", "Member must not be null");
  if (arn.length < 20 || arn.length > 2048)
    throw invalid(arn, "roleArn", "Member must have length between 20 and 2048");
  if (sessionName === null) throw invalid(null, "roleSessionName", "Member must not be null");
  if (sessionName.length < 2 || sessionName.length > 64)
    throw invalid(sessionName, "roleSessionName", "Member must have length between 2 and 64");
  if (!/^[\w+=,.@-]*$/.test(sessionName))
    throw invalid(sessionName, "roleSessionName", "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
  const duration = durationText === null ? DEFAULT_DURATION : Number(durationText);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200)
    throw invalid(durationText, "durationSeconds", "Member must have value between 900 and 43200");
  const role = iam.role(arn);
  if (!role)
    throw new StsError(
      "AccessDenied",
      `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
      403,
    );
  if (chained && duration > CHAINED_LIMIT)
    throw new StsError(
      "ValidationError",
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    );
  if (duration > (role.maxSessionSeconds ?? DEFAULT_DURATION))
    throw new StsError(
      "ValidationError",
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
  const expiresMs = iam.now() + duration * 1000;
  const creds = issueCredentials(iam.secret, { roleArn: arn, sessionName, expiresMs, chained });
  const roleId = `AROA${Buffer.from(arn).toString("hex").toUpperCase().slice(-17)}`;
  return `<AssumeRoleResult>
    <AssumedRoleUser>
      <Arn>${xml(assumedRoleArn(iam.account, arn, sessionName))}</Arn>
      <AssumedRoleId>${roleId}:${xml(sessionName)}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${creds.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${xml(creds.secretAccessKey)}</SecretAccessKey>
      <SessionToken>${creds.sessionToken}</SessionToken>
      <Expiration>${isoSeconds(expiresMs)}</Expiration>
    </Credentials>
    <PackedPolicySize>0</PackedPolicySize>
  </AssumeRoleResult>`;
}

function callerIdentity(iam: Iam, callerArn: string): string {
  const name = roleNameOf(callerArn.replace(/^arn:aws:sts::(\d{12}):assumed-role\//, "arn:aws:iam::$1:role/"));
  return `<GetCallerIdentityResult>
    <Arn>${xml(callerArn)}</Arn>
    <UserId>AROA${Buffer.from(name ?? "caller")
      .toString("hex")
      .toUpperCase()
      .slice(0, 17)}</UserId>
    <Account>${iam.account}</Account>
  </GetCallerIdentityResult>`;
}

export function handleSts(iam: Iam, req: IncomingMessage, res: ServerResponse, rawBody: string): void {
  const requestId = randomUUID();
  const form = new URLSearchParams(rawBody);
  const action = form.get("Action") ?? "";
  try {
    if (req.method !== "POST") throw new StsError("InvalidAction", "STS answers POST requests only.");
    if (form.get("Version") !== VERSION)
      throw new StsError(
        "InvalidAction",
        `Could not find operation ${action} for version ${form.get("Version") ?? "NO_VERSION_SPECIFIED"}`,
      );
    const identified = iam.identify(req.headers);
    if (identified.kind === "refused")
      throw new StsError(
        identified.type === "ExpiredTokenException" ? "ExpiredToken" : "InvalidClientTokenId",
        identified.message,
        identified.type === "ExpiredTokenException" ? 400 : 403,
      );
    const { caller } = identified;
    let result: string;
    if (action === "AssumeRole") {
      if (caller.kind === "session") {
        const target = form.get("RoleArn") ?? "";
        const denied = iam.denial(caller, "sts:AssumeRole", target);
        if (denied)
          throw new StsError(
            "AccessDenied",
            `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${target}`,
            403,
          );
      }
      result = assumeRole(iam, caller.arn, caller.kind === "session", form);
    } else if (action === "GetCallerIdentity") {
      result = callerIdentity(iam, caller.arn);
    } else {
      throw new StsError("InvalidAction", `Could not find operation ${action} for version ${VERSION}`);
    }
    send(
      res,
      200,
      `<${action}Response xmlns="${NS}">
  ${result}
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</${action}Response>
`,
      requestId,
    );
  } catch (error) {
    const e = error instanceof StsError ? error : new StsError("InternalFailure", "An internal error occurred.", 500);
    if (!(error instanceof StsError)) console.error("sandbox: STS failed", error);
    send(
      res,
      e.status,
      `<ErrorResponse xmlns="${NS}">
  <Error>
    <Type>${e.status >= 500 ? "Receiver" : "Sender"}</Type>
    <Code>${e.code}</Code>
    <Message>${xml(e.message)}</Message>
  </Error>
  <RequestId>${requestId}</RequestId>
</ErrorResponse>
`,
      requestId,
    );
  }
}
