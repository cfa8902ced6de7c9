// The push event. GitHub lists the pushed commits oldest first, at most MAX_PUSH_COMMITS of them (the newest), and
// `head_commit` is the pushed tip; a push whose commits the stand-in could not learn carries none and no head commit.
import { createHash } from "node:crypto";
import { accountFor } from "../../shapes/git-commit";
import type { StandInState } from "../../state";
import type { GitCommit } from "../../world/commits";
import type { Account, Repository } from "../../world/world";
import { deliveryBase, ownerOf, sender, webhookRepository } from "./common";

export const ZERO_SHA = "0".repeat(40);
/** GitHub's webhook docs: "The array includes a maximum of 2048 commits." */
export const MAX_PUSH_COMMITS = 2048;

export interface PushFacts {
  repository: Repository;
  branch: string;
  before: string;
  after: string;
  /** The commits pushed, oldest first; null when the commit source could not be asked. */
  commits: GitCommit[] | null;
  /** Who pushed: the account of the tip's committer when one has that address, else the repository's owner. */
  pusher: Account;
}

function pushCommit(state: StandInState, repository: string, commit: GitCommit): Record<string, unknown> {
  const base = deliveryBase(state);
  const users = [...state.world.users.values()];
  const person = (p: GitCommit["author"]) => {
    const login = accountFor(users, p.email)?.login;
    return { name: p.name, email: p.email, date: p.date, ...(login ? { username: login } : {}) };
  };
  return {
    id: commit.sha,
    tree_id: createHash("sha1").update(`tree|${commit.sha}`).digest("hex"),
    distinct: true,
    message: commit.message,
    timestamp: commit.committer.date,
    url: `${base}/${repository}/commit/${commit.sha}`,
    author: person(commit.author),
    committer: person(commit.committer),
    added: [],
    removed: [],
    modified: [],
  };
}

export function pushPayload(state: StandInState, facts: PushFacts): Record<string, unknown> {
  const base = deliveryBase(state);
  const name = facts.repository.fullName;
  const commits = (facts.commits ?? []).slice(-MAX_PUSH_COMMITS);
  const tip = facts.commits?.at(-1);
  const created = facts.before === ZERO_SHA;
  const repository = webhookRepository(state, facts.repository);
  return {
    ref: `refs/heads/${facts.branch}`,
    before: facts.before,
    after: facts.after,
    created,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: created
      ? `${base}/${name}/commit/${facts.after.slice(0, 12)}`
      : `${base}/${name}/compare/${facts.before.slice(0, 12)}...${facts.after.slice(0, 12)}`,
    commits: commits.map((c) => pushCommit(state, name, c)),
    head_commit: tip && tip.sha === facts.after ? pushCommit(state, name, tip) : null,
    // The push payload's repository is the older kind: times as epoch seconds, and the names it had then.
    repository: {
      ...repository,
      created_at: epochSeconds(String(repository.created_at)),
      pushed_at: Math.floor(state.now() / 1000),
      stargazers: 0,
      master_branch: "main",
      ...(ownerOf(state, facts.repository).type === "Organization" ? { organization: facts.repository.owner } : {}),
    },
    pusher: { name: facts.pusher.login, ...(facts.pusher.email ? { email: facts.pusher.email } : {}) },
    sender: sender(state, facts.pusher),
  };
}

function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
