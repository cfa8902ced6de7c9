import "server-only";
import type { RepositoryPermission } from "@/lib/control/contract";
import { ApiError } from "@/lib/server/api/errors";
import type { Db } from "@/lib/server/db/client";
import { findVisiblePipeline, type VisiblePipeline } from "@/lib/server/pipelines/visibility";
import type { Viewer } from "@/lib/server/session";
import type { AuditActor } from "./audit/record";
import {
  freshRepositoryPermission,
  freshTeamMembership,
  installationChangeReader,
  installationRole,
  installationTeamMembership,
  type GitHubReader,
} from "./fresh-permission";

// Who decides or commands, and how GitHub is asked about them. Two sources go through the same decision path
// (runCommand, decideApproval):
// - a Viewer: a person signed in to Stageboard, asked about with their own token (or, with the App's sign-in,
//   through the installation), who sees the pipelines of the repositories their list holds;
// - a GitHub sender: whoever clicked a button on Stageboard's check run on GitHub. They need no Stageboard account:
//   their permission and teams are read through the App's installation on the repository, and they "see" the
//   pipeline exactly when GitHub says they can read its repository.
// Everything else (policy, self-approval by account id, votes, audit, AWS) is the same code for both.

/** The clicker of a check run's button, as GitHub's delivery names them (account id and login). */
export interface GitHubSender {
  githubId: bigint;
  login: string;
}

/** A command's or decision's actor: a signed-in person, or a GitHub sender. */
export type ActorInput = { viewer: Viewer; sender?: undefined } | { sender: GitHubSender; viewer?: undefined };

export interface ActorAccess {
  /** Where the actor acted: recorded in the audit log's parameters as `source`. */
  source: "stageboard" | "github";
  identity: AuditActor & { githubId: bigint; name: string | null };
  /** Whose command budget is charged (RATE_LIMIT_COMMANDS_PER_MINUTE). */
  budgetSubject: string;
  /** The pipeline when this actor may see it; a sender's reach is judged with their permission (seesWith). */
  findPipeline(db: Db, pipelineId: string): Promise<VisiblePipeline | null>;
  /** Whether the fresh permission lets them see the pipeline's repository at all. */
  seesWith(permission: RepositoryPermission | null): boolean;
  permission(fullName: string, db: Db): Promise<RepositoryPermission | null>;
  teamMembership(teams: readonly string[], fullName: string, db: Db): Promise<string | null>;
  /** How the change's commits are read from GitHub when they are not stored yet (self-approval). */
  changeReader(fullName: string, db: Db): string | GitHubReader;
}

type PipelineRow = { id: string; name: string; repository: string | null; deletedAt: Date | null };

/** Any pipeline by id, for a sender: whether they may see it is their permission's to say. */
async function anyPipeline(db: Db, pipelineId: string): Promise<VisiblePipeline | null> {
  const [row] = await db.$queryRaw<PipelineRow[]>`
    SELECT p.id, p.name, COALESCE(r."githubFullName", r."fullName") AS repository, p."deletedAt"
    FROM "Pipeline" p LEFT JOIN "Repository" r ON r.id = p."repositoryId" WHERE p.id = ${pipelineId}`;
  if (!row) return null;
  return { id: row.id, name: row.name, repository: row.repository, deleted: row.deletedAt !== null };
}

function viewerAccess(viewer: Viewer, user: { githubId: bigint; login: string; name: string | null }): ActorAccess {
  return {
    source: "stageboard",
    identity: user,
    budgetSubject: viewer.userId,
    findPipeline: (db, pipelineId) => findVisiblePipeline(db, viewer, pipelineId),
    seesWith: () => true,
    permission: (fullName, db) => freshRepositoryPermission(viewer.userId, fullName, db),
    teamMembership: (teams, _fullName, db) => freshTeamMembership(viewer.userId, user.login, teams, db),
    changeReader: () => viewer.userId,
  };
}

function senderAccess(sender: GitHubSender, name: string | null): ActorAccess {
  return {
    source: "github",
    identity: { githubId: sender.githubId, login: sender.login, name },
    // Keyed by the GitHub account: a sender needs no Stageboard account to be counted.
    budgetSubject: `github:${sender.githubId}`,
    findPipeline: (db, pipelineId) => anyPipeline(db, pipelineId),
    seesWith: (permission) => permission !== null,
    permission: (fullName, db) => installationRole(sender.login, fullName, db),
    teamMembership: (teams, fullName, db) => installationTeamMembership(sender.login, teams, fullName, db),
    changeReader: (fullName, db) => installationChangeReader(fullName, db),
  };
}

/** The actor's access, with who they are as the audit log names them. */
export async function actorAccess(db: Db, actor: ActorInput): Promise<ActorAccess> {
  if (actor.sender) {
    // Their Stageboard account, when they have one, only lends its display name.
    const user = await db.user.findUnique({ where: { githubId: actor.sender.githubId }, select: { name: true } });
    return senderAccess(actor.sender, user?.name ?? null);
  }
  const user = await db.user.findUnique({
    where: { id: actor.viewer.userId },
    select: { githubId: true, login: true, name: true },
  });
  if (!user) throw new ApiError({ code: "unauthorized", message: "Sign in to use this API" });
  return viewerAccess(actor.viewer, user);
}

/** What the audit log keeps as the parameters: a sender's are marked as coming from GitHub. */
export function auditParameters(access: Pick<ActorAccess, "source">, params: unknown): unknown {
  if (access.source !== "github") return params;
  return params && typeof params === "object" && !Array.isArray(params)
    ? { ...(params as Record<string, unknown>), source: "github" }
    : { value: params ?? null, source: "github" };
}
