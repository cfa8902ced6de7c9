import type { JsonObject } from "../http/body";
import { isoTime } from "../shapes/urls";
import type { StandInState } from "../state";
import { CHECK_CONCLUSIONS, CHECK_STATUSES, STATUS_STATES, isOneOf, resolveSha } from "../world/records";
import { parseFullName } from "../world/names";
import { GITHUB_ACTIONS_APP } from "../rest/check-runs-apps";
import { checkRunChanged, statusCreated, suiteCompleted } from "../webhooks/events";

/** The account external CI statuses are attributed to; it is not a user, so `creator` is null. */
const CI_CREATOR = "stand-in-ci";

/** null when absent, the normalised URL when valid, undefined when invalid. */
function optionalUrl(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") return undefined;
  try {
    return new URL(value).toString();
  } catch {
    return undefined;
  }
}

/**
 * POST /_stand-in/checks – what CI reports for a commit.
 * {"repository","sha","conclusion", "name"?, "status"?, "details_url"?} sets a check run of GitHub Actions;
 * {"repository","sha","state", "context"?, "target_url"?, "description"?} adds a commit status (external CI style).
 */
export function setChecks(state: StandInState, body: JsonObject): { status: number; body: unknown } {
  const bad = (error: string) => ({ status: 400, body: { error } });
  const parsed = parseFullName(body.repository);
  const repository = parsed ? state.world.repository(parsed.owner, parsed.name) : undefined;
  if (!repository) return bad("unknown repository");
  if (typeof body.sha !== "string" || body.sha === "" || body.sha.length > 255) return bad("sha is required");
  const sha = resolveSha(repository.fullName, body.sha);
  const now = isoTime(state.now());

  if (body.state !== undefined) {
    if (!isOneOf(STATUS_STATES, body.state)) return bad("state must be error, failure, pending or success");
    const targetUrl = optionalUrl(body.target_url);
    if (targetUrl === undefined) return bad("target_url must be a URL");
    const context = typeof body.context === "string" && body.context !== "" ? body.context : "ci/build";
    const description = typeof body.description === "string" ? body.description.slice(0, 140) : null;
    const record = {
      id: state.records.id(),
      repository: repository.fullName,
      sha,
      state: body.state,
      targetUrl,
      description,
      context,
      creator: CI_CREATOR,
      createdAt: now,
    };
    state.records.statuses.push(record);
    statusCreated(state, record, repository);
    return { status: 200, body: record };
  }

  const conclusion = body.conclusion ?? null;
  if (conclusion !== null && !isOneOf(CHECK_CONCLUSIONS, conclusion))
    return bad(`conclusion must be one of ${CHECK_CONCLUSIONS.join(", ")}`);
  const status = body.status ?? (conclusion === null ? "in_progress" : "completed");
  if (!isOneOf(CHECK_STATUSES, status)) return bad(`status must be one of ${CHECK_STATUSES.join(", ")}`);
  if ((status === "completed") !== (conclusion !== null))
    return bad("a completed check run needs a conclusion, and only a completed one");
  const detailsUrl = optionalUrl(body.details_url);
  if (detailsUrl === undefined) return bad("details_url must be a URL");
  const name = typeof body.name === "string" && body.name !== "" ? body.name : "build";
  const checks = state.records.checks;
  const suite = checks.ensureSuite({
    repository: repository.fullName,
    sha,
    appId: GITHUB_ACTIONS_APP.id,
    headBranch: null,
    now,
  });
  const fields = { status, conclusion, detailsUrl, startedAt: now, completedAt: conclusion === null ? null : now };
  // GitHub Actions reports a job under one name per commit: reporting the name again replaces that run.
  const existing = checks.runsOfSuite(suite.id).find((r) => r.name === name);
  const suiteWasCompleted = suiteCompleted(state, suite.id);
  if (existing) {
    const wasCompleted = existing.status === "completed";
    Object.assign(existing, fields);
    checks.touch(suite.id, now);
    checkRunChanged(state, { run: existing, repository, created: false, wasCompleted, suiteWasCompleted });
    return { status: 200, body: existing };
  }
  const run = checks.add(
    {
      ...fields,
      repository: repository.fullName,
      sha,
      name,
      appId: GITHUB_ACTIONS_APP.id,
      suiteId: suite.id,
      externalId: null,
      createdAtMs: state.now(),
      output: { title: null, summary: null, text: null, annotations: [] },
      actions: [],
    },
    now,
  );
  checkRunChanged(state, { run, repository, created: true, wasCompleted: false, suiteWasCompleted });
  return { status: 200, body: run };
}

/**
 * POST /_stand-in/check-suites {"repository","sha","app_id"?,"head_branch"?} – what GitHub does on a push for each
 * App with checks:write: a queued suite with no runs yet, so the commit reads as pending (GitHub Actions by default).
 */
export function requestCheckSuite(state: StandInState, body: JsonObject): { status: number; body: unknown } {
  const bad = (error: string) => ({ status: 400, body: { error } });
  const parsed = parseFullName(body.repository);
  const repository = parsed ? state.world.repository(parsed.owner, parsed.name) : undefined;
  if (!repository) return bad("unknown repository");
  if (typeof body.sha !== "string" || !/^[0-9a-f]{40}$/i.test(body.sha)) return bad("sha must be a full SHA");
  const appId = body.app_id ?? GITHUB_ACTIONS_APP.id;
  if (typeof appId !== "number" || !Number.isSafeInteger(appId)) return bad("app_id must be an App id");
  const headBranch = body.head_branch ?? null;
  if (headBranch !== null && typeof headBranch !== "string") return bad("head_branch must be a branch name");
  const suite = state.records.checks.ensureSuite({
    repository: repository.fullName,
    sha: body.sha.toLowerCase(),
    appId,
    headBranch,
    now: isoTime(state.now()),
  });
  return { status: 200, body: suite };
}
