import type { IncomingMessage, ServerResponse } from "node:http";
import { isJsonObject, parseJson, readBody } from "../http/body";
import type { JsonObject } from "../http/body";
import { sendJson } from "../http/respond";
import { describeReach } from "../oauth/authorize-page";
import type { StandInState } from "../state";
import { isRole } from "../world/permissions";
import { isLogin, key, parseFullName } from "../world/names";
import type { UserRecord } from "../world/world";
import { registerCommits } from "./register-commits";
import { setBranchRules } from "./set-branch-rules";
import { branchRulesOf } from "../rest/branch-rules-state";
import { requestCheckSuite, setChecks } from "./set-checks";
import { setFaults } from "./set-faults";
import { WEBHOOK_GETS, WEBHOOK_POSTS } from "../webhooks/control";

type Handler = (state: StandInState, body: JsonObject) => { status: number; body: unknown };

const bad = (message: string) => ({ status: 400, body: { error: message } });
const ok = (body: unknown) => ({ status: 200, body });

/** Users added through the control plane get ids of their own, far from the demo users' and organizations'. */
const FIRST_ADDED_USER_ID = 5_000_001;

const POSTS: Record<string, Handler> = {
  // {"login", "repository" | "owner", "permission"}; "none" revokes
  "/_stand-in/grants": (state, body) => {
    const user = typeof body.login === "string" ? state.world.user(body.login) : undefined;
    if (!user) return bad("unknown login");
    if (!isRole(body.permission)) return bad("permission must be admin, maintain, write, triage, read or none");
    if (typeof body.repository === "string") {
      const parsed = parseFullName(body.repository);
      const repository = parsed ? state.world.repository(parsed.owner, parsed.name) : undefined;
      if (!repository) return bad("unknown repository");
      state.world.grantRepository(user, repository, body.permission);
    } else if (isLogin(body.owner)) {
      state.world.grantOwner(user, body.owner, body.permission);
    } else {
      return bad("give repository (owner/name) or owner");
    }
    return ok({ login: user.login, reach: describeReach(state.world, user.login) });
  },
  // {"login", "name"?}; a new user who reaches nothing until granted (tests give each their own)
  "/_stand-in/users": (state, body) => {
    if (!isLogin(body.login)) return bad("login must be a GitHub login");
    if (state.world.account(body.login)) return bad("that login is taken");
    const added = [...state.world.users.values()].filter((u) => u.id >= FIRST_ADDED_USER_ID).length;
    const user: UserRecord = {
      id: FIRST_ADDED_USER_ID + added,
      login: body.login,
      name: typeof body.name === "string" && body.name !== "" ? body.name : body.login,
      email: `${key(body.login)}@example.com`,
      type: "User",
      ownerGrants: new Map(),
      repositoryGrants: new Map(),
      orgs: new Set(),
      teams: [],
    };
    state.world.users.set(key(user.login), user);
    return ok({ login: user.login, id: user.id, reach: describeReach(state.world, user.login) });
  },
  // {"repositories": ["owner/name", …], "public"?: true|false}; adds, never removes; `public` sets their visibility
  "/_stand-in/repositories": (state, body) => {
    const names = body.repositories;
    if (!Array.isArray(names) || !names.every((n) => typeof n === "string"))
      return bad("repositories must be a list of owner/name");
    if (body.public !== undefined && typeof body.public !== "boolean") return bad("public must be true or false");
    const rejected = state.world.addRepositories(
      names,
      body.public === undefined ? undefined : { public: body.public },
    );
    if (rejected.length > 0) return bad(`invalid repository names: ${rejected.join(", ")}`);
    return ok({ repositories: [...state.world.repositories.values()].map((r) => r.fullName) });
  },
  // {"repository": "owner/name", "to": "owner/new-name"}; a rename (same owner) or a transfer (another owner): the
  // repository keeps its id and collaborators, and GET /repos/{old name} answers 301 to /repositories/{id}
  "/_stand-in/repositories/move": (state, body) => {
    if (typeof body.repository !== "string" || typeof body.to !== "string")
      return bad("give repository and to as owner/name");
    const moved = state.world.moveRepository(body.repository, body.to);
    if (moved.kind === "rejected") return bad(moved.reason);
    return ok({ repository: moved.repository.fullName, id: moved.repository.id, from: moved.from });
  },
  // {"repository": "owner/name"}; gone with its collaborators and redirects, so the name can be registered again
  "/_stand-in/repositories/delete": (state, body) => {
    const deleted = typeof body.repository === "string" ? state.world.deleteRepository(body.repository) : undefined;
    if (!deleted) return bad("unknown repository");
    return ok({ deleted: deleted.fullName, id: deleted.id });
  },
  // {"login", "to"}; the account keeps its id, tokens and grants, and the old login is free for a new account
  "/_stand-in/users/rename": (state, body) => {
    if (typeof body.login !== "string" || !isLogin(body.to)) return bad("give login and to (a GitHub login)");
    const renamed = state.world.renameUser(body.login, body.to);
    if (renamed === "unknown") return bad("unknown login");
    if (renamed === "taken") return bad("that login is taken");
    return ok({ login: renamed.login, id: renamed.id });
  },
  // {"down": true|false}; REST answers 503 and the OAuth pages an error page while down
  "/_stand-in/outage": (state, body) => {
    if (typeof body.down !== "boolean") return bad("down must be true or false");
    state.down = body.down;
    return ok({ down: state.down });
  },
  // {"login"}; every token issued to that user answers 401 Bad credentials afterwards
  "/_stand-in/tokens/revoke": (state, body) => {
    const user = typeof body.login === "string" ? state.world.user(body.login) : undefined;
    if (!user) return bad("unknown login");
    return ok({ revoked: state.tokens.revokeAllOf(user.id) });
  },
  "/_stand-in/checks": setChecks,
  "/_stand-in/check-suites": requestCheckSuite,
  "/_stand-in/faults": setFaults,
  "/_stand-in/commits": registerCommits,
  "/_stand-in/branch-rules": setBranchRules,
  // {}; starts the request count over
  "/_stand-in/requests/reset": (state) => {
    state.requests.reset();
    return ok(state.requests.toJson());
  },
  ...WEBHOOK_POSTS,
};

const GETS: Record<string, (state: StandInState) => unknown> = {
  "/_stand-in/users": (state) =>
    [...state.world.users.values()].map((user) => ({
      login: user.login,
      id: user.id,
      name: user.name,
      email: user.email,
      orgs: [...user.orgs],
      teams: user.teams,
      repositories: state.world.reachable(user).map((e) => ({ repository: e.repository.fullName, permission: e.role })),
      reach: describeReach(state.world, user.login),
    })),
  "/_stand-in/repositories": (state) => ({
    repositories: [...state.world.repositories.values()].map((r) => r.fullName),
    // GitHub's repository ids, as /user/repos reports them: what an app pins a repository to.
    ids: Object.fromEntries([...state.world.repositories.values()].map((r) => [r.fullName, r.id])),
    redirects: Object.fromEntries(state.world.redirects),
  }),
  "/_stand-in/statuses": (state) => state.records.statuses,
  "/_stand-in/checks": (state) => state.records.checks.runs,
  "/_stand-in/check-suites": (state) => state.records.checks.suites,
  "/_stand-in/environments": (state) => state.records.environments.all,
  "/_stand-in/faults": (state) => state.faults.toJson(),
  "/_stand-in/branch-rules": (state) => branchRulesOf(state).toJson(),
  "/_stand-in/requests": (state) => state.requests.toJson(),
  "/_stand-in/deployments": (state) =>
    state.records.deployments.map((d) => ({
      ...d,
      statuses: state.records.deploymentStatuses.filter((s) => s.deploymentId === d.id),
    })),
  ...WEBHOOK_GETS,
};

// /_stand-in/* – JSON control plane for tests and the demo; it keeps answering during an outage
export async function handleControl(
  state: StandInState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const read = GETS[path];
  if (req.method === "GET" && read) return sendJson(res, 200, read(state));
  const write = POSTS[path];
  if (req.method !== "POST" || !write) return sendJson(res, 404, { error: "not found" });
  const parsed = parseJson(await readBody(req));
  if (!isJsonObject(parsed)) return sendJson(res, 400, { error: "body must be a JSON object" });
  const result = write(state, parsed);
  sendJson(res, result.status, result.body);
}
