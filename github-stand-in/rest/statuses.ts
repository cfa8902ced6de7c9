import { paginate } from "../http/pagination";
import { commitStatus, simpleCommitStatus } from "../shapes/commit";
import { minimalRepository } from "../shapes/repository";
import { apiUrl, isoTime } from "../shapes/urls";
import { STATUS_STATES, isOneOf, resolveSha } from "../world/records";
import type { CommitStatusRecord } from "../world/records";
import { key } from "../world/names";
import type { FieldError, RestContext } from "./context";
import { reply, validationFailed } from "./context";
import { optionalString } from "./fields";
import { creatorAccount, reportAccess } from "./report-access";
import { statusCreated } from "../webhooks/events";

const CREATE_DOCS = "https://docs.github.com/rest/commits/statuses#create-a-commit-status";
const COMBINED_DOCS = "https://docs.github.com/rest/commits/statuses#get-the-combined-status-for-a-specific-reference";
const LIST_DOCS = "https://docs.github.com/rest/commits/statuses#list-commit-statuses-for-a-reference";
const MAX_DESCRIPTION = 140;
const MAX_PER_CONTEXT = 1000;

// POST /repos/{owner}/{repo}/statuses/{sha} – needs push access and repo or repo:status
export function createCommitStatus(ctx: RestContext): void {
  const access = reportAccess(ctx, {
    permission: "statuses",
    level: "write",
    scopes: ["repo:status"],
    docs: CREATE_DOCS,
  });
  if (!access) return;
  const { body } = ctx;
  const errors: FieldError[] = [];
  if (!isOneOf(STATUS_STATES, body.state)) {
    errors.push({ resource: "Status", field: "state", code: body.state === undefined ? "missing_field" : "invalid" });
  }
  const description = optionalString(body.description);
  const targetUrl = optionalString(body.target_url);
  const context = body.context === undefined ? "default" : optionalString(body.context);
  if (description === undefined) errors.push({ resource: "Status", field: "description", code: "invalid" });
  else if (description !== null && description.length > MAX_DESCRIPTION) {
    errors.push({
      resource: "Status",
      field: "description",
      code: "custom",
      message: `description is too long (maximum is ${MAX_DESCRIPTION} characters)`,
    });
  }
  if (targetUrl === undefined) errors.push({ resource: "Status", field: "target_url", code: "invalid" });
  if (typeof context !== "string" || context === "")
    errors.push({ resource: "Status", field: "context", code: "invalid" });
  if (errors.length > 0 || !isOneOf(STATUS_STATES, body.state) || typeof context !== "string") {
    return validationFailed(ctx, errors, CREATE_DOCS);
  }
  const repository = access.repository.fullName;
  const sha = resolveSha(repository, ctx.params.sha ?? "");
  const sameContext = ctx.state.records.statusesFor(repository, sha).filter((s) => key(s.context) === key(context));
  if (sameContext.length >= MAX_PER_CONTEXT) {
    return validationFailed(
      ctx,
      [
        {
          resource: "Status",
          field: "context",
          code: "custom",
          message: "This SHA and context has reached the maximum number of statuses.",
        },
      ],
      CREATE_DOCS,
    );
  }
  const record: CommitStatusRecord = {
    id: ctx.state.records.id(),
    repository,
    sha,
    state: body.state,
    targetUrl: targetUrl ?? null,
    description: description ?? null,
    context,
    creator: access.actor.login,
    createdAt: isoTime(ctx.state.now()),
  };
  ctx.state.records.statuses.push(record);
  const location = apiUrl(ctx.base, `/repos/${repository}/statuses/${sha}`);
  reply(ctx, 201, commitStatus(record, access.actor, ctx.base), { location });
  statusCreated(ctx.state, record, access.repository);
}

/** GitHub's combined state: any error/failure fails, none or any pending is pending, else success. */
export function combinedState(statuses: readonly CommitStatusRecord[]): "failure" | "pending" | "success" {
  if (statuses.some((s) => s.state === "error" || s.state === "failure")) return "failure";
  if (statuses.length === 0 || statuses.some((s) => s.state === "pending")) return "pending";
  return "success";
}

// GET /repos/{owner}/{repo}/commits/{ref}/status – newest status per context; per_page/page page through them
export function getCombinedStatus(ctx: RestContext): void {
  const access = reportAccess(ctx, {
    permission: "statuses",
    level: "read",
    scopes: ["repo:status"],
    docs: COMBINED_DOCS,
  });
  if (!access) return;
  const repository = access.repository.fullName;
  const sha = resolveSha(repository, ctx.params.ref ?? "");
  const latest = ctx.state.records.latestStatusesFor(repository, sha).sort((a, b) => b.id - a.id);
  const page = paginate(latest, ctx.url, ctx.base);
  const repoUrl = apiUrl(ctx.base, `/repos/${repository}`);
  reply(
    ctx,
    200,
    {
      state: combinedState(latest),
      statuses: page.items.map((s) => simpleCommitStatus(s, ctx.base)),
      sha,
      total_count: latest.length,
      repository: minimalRepository(access.repository, access.owner, ctx.base),
      commit_url: `${repoUrl}/commits/${sha}`,
      url: `${repoUrl}/commits/${sha}/status`,
    },
    page.link ? { link: page.link } : {},
  );
}

// GET /repos/{owner}/{repo}/commits/{ref}/statuses – every status of the commit, newest first (not one per context)
export function listCommitStatuses(ctx: RestContext): void {
  const access = reportAccess(ctx, { permission: "statuses", level: "read", scopes: ["repo:status"], docs: LIST_DOCS });
  if (!access) return;
  const repository = access.repository.fullName;
  const sha = resolveSha(repository, ctx.params.ref ?? "");
  const all = ctx.state.records.statusesFor(repository, sha).sort((a, b) => b.id - a.id);
  const page = paginate(all, ctx.url, ctx.base);
  const body = page.items.map((s) => commitStatus(s, creatorAccount(ctx.state, s.creator), ctx.base));
  reply(ctx, 200, body, page.link ? { link: page.link } : {});
}
