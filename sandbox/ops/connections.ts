// ListConnections, GetConnection, ListHosts, GetHost of CodeConnections (served under both of its target
// prefixes, see ../wire/aws-handler). Members are PascalCase, as in that service's model. Limits follow
// AWS's API reference (MaxResults 0-100, NextToken 1-1024, ARNs up to 256); the wording of a bad page
// token's error and the page size for MaxResults 0 are [unverified], so they follow CodePipeline's.
import { AwsError } from "../core/errors";
import type { ConnectionRecord, HostRecord } from "../core/world";
import {
  lengthAtLeast,
  lengthAtMost,
  inEnum,
  matchesPattern,
  summarize,
  valueAtLeast,
  valueAtMost,
  violation,
} from "../validation/messages";
import { page } from "../wire/page-token";
import type { Handler, OpContext } from "./context";

const PROVIDER_TYPES = ["Bitbucket", "GitHub", "GitHubEnterpriseServer", "GitLab", "GitLabSelfManaged"] as const;
const HOST_ARN = "arn:aws(-[\\w]+)*:(codestar-connections|codeconnections):.+:[0-9]{12}:host\\/.+";
const ANY_ARN = "arn:aws(-[\\w]+)*:.+:.+:[0-9]{12}:.+";
const DEFAULT_PAGE = 100;

type Input = Record<string, unknown>;
type Check = (input: Input, errors: string[]) => void;

function typed(input: Input, member: string, type: "string" | "number"): void {
  const value = input[member];
  if (value !== undefined && typeof value !== type)
    throw new AwsError("SerializationException", `Unexpected value type for ${member}.`);
}

const string =
  (
    member: string,
    opts: { min?: number; max: number; pattern?: string; enum?: readonly string[]; required?: boolean },
  ): Check =>
  (input, errors) => {
    typed(input, member, "string");
    const value = input[member] as string | undefined;
    const path = member.charAt(0).toLowerCase() + member.slice(1);
    if (value === undefined) {
      if (opts.required) errors.push(violation(value, path, "Member must not be null"));
      return;
    }
    if (value.length > opts.max) errors.push(violation(value, path, lengthAtMost(opts.max)));
    if (opts.min !== undefined && value.length < opts.min) errors.push(violation(value, path, lengthAtLeast(opts.min)));
    if (opts.pattern && !new RegExp(`^(?:${opts.pattern})$`).test(value))
      errors.push(violation(value, path, matchesPattern(opts.pattern)));
    if (opts.enum && !opts.enum.includes(value)) errors.push(violation(value, path, inEnum(opts.enum)));
  };

const maxResults: Check = (input, errors) => {
  typed(input, "MaxResults", "number");
  const value = input.MaxResults as number | undefined;
  if (value === undefined) return;
  if (value > 100) errors.push(violation(value, "maxResults", valueAtMost(100)));
  if (value < 0) errors.push(violation(value, "maxResults", valueAtLeast(0)));
};

const nextToken = string("NextToken", { min: 1, max: 1024 });

function validate(input: Input, checks: Check[]): void {
  const errors: string[] = [];
  for (const check of checks) check(input, errors);
  const message = summarize(errors);
  if (message) throw new AwsError("ValidationException", message);
}

function pageOf<T>(ctx: OpContext, scope: string, items: T[], input: Input): { items: T[]; next?: string } {
  const max = typeof input.MaxResults === "number" && input.MaxResults > 0 ? input.MaxResults : DEFAULT_PAGE;
  const { start, end, next } = page(ctx.secret, scope, items.length, max, input.NextToken as string | undefined);
  return { items: items.slice(start, end), ...(next ? { next } : {}) };
}

function connectionShape(ctx: OpContext, c: ConnectionRecord) {
  return {
    ConnectionName: c.name,
    ConnectionArn: c.arn,
    ProviderType: c.providerType,
    OwnerAccountId: ctx.world.env.account,
    ConnectionStatus: c.status,
    ...(c.hostArn ? { HostArn: c.hostArn } : {}),
  };
}

function hostShape(h: HostRecord) {
  return {
    Name: h.name,
    HostArn: h.arn,
    ProviderType: h.providerType,
    ProviderEndpoint: h.providerEndpoint,
    Status: h.status,
  };
}

/** Both service prefixes name the same connection. */
function sameResource(a: string, b: string): boolean {
  const strip = (arn: string) => arn.replace(/^(arn:[^:]+):codeconnections:/, "$1:codestar-connections:");
  return strip(a) === strip(b);
}

const listConnections: Handler = (ctx, input) => {
  validate(input, [
    string("ProviderTypeFilter", { max: 64, enum: PROVIDER_TYPES }),
    string("HostArnFilter", { min: 0, max: 256, pattern: HOST_ARN }),
    maxResults,
    nextToken,
  ]);
  const provider = input.ProviderTypeFilter as string | undefined;
  const host = input.HostArnFilter as string | undefined;
  const all = [...ctx.world.connections.values()]
    .filter(
      (c) =>
        (!provider || c.providerType === provider) &&
        (!host || (c.hostArn !== undefined && sameResource(c.hostArn, host))),
    )
    .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  const { items, next } = pageOf(ctx, `ListConnections|${provider ?? ""}|${host ?? ""}`, all, input);
  return { Connections: items.map((c) => connectionShape(ctx, c)), ...(next ? { NextToken: next } : {}) };
};

const getConnection: Handler = (ctx, input) => {
  validate(input, [string("ConnectionArn", { min: 0, max: 256, pattern: ANY_ARN, required: true })]);
  const arn = input.ConnectionArn as string;
  const found = [...ctx.world.connections.values()].find((c) => sameResource(c.arn, arn));
  if (!found) throw new AwsError("ResourceNotFoundException", `Connection ${arn} does not exist`);
  return { Connection: connectionShape(ctx, found) };
};

const listHosts: Handler = (ctx, input) => {
  validate(input, [maxResults, nextToken]);
  const all = [...ctx.world.hosts.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  const { items, next } = pageOf(ctx, "ListHosts", all, input);
  return { Hosts: items.map(hostShape), ...(next ? { NextToken: next } : {}) };
};

const getHost: Handler = (ctx, input) => {
  validate(input, [string("HostArn", { min: 0, max: 256, pattern: HOST_ARN, required: true })]);
  const arn = input.HostArn as string;
  const found = [...ctx.world.hosts.values()].find((h) => sameResource(h.arn, arn));
  if (!found) throw new AwsError("ResourceNotFoundException", `Host ${arn} does not exist`);
  const { HostArn: _arn, ...rest } = hostShape(found);
  return rest;
};

export const connectionOps: Record<string, Handler> = {
  ListConnections: listConnections,
  GetConnection: getConnection,
  ListHosts: listHosts,
  GetHost: getHost,
};
