import { repository } from "../../shapes/repository";
import { simpleUser } from "../../shapes/user";
import type { StandInState } from "../../state";
import type { Account, Repository } from "../../world/world";

/** Deliveries belong to no request, so their links use the stand-in's own public origin. */
export function deliveryBase(state: StandInState): string {
  return state.publicUrl?.replace(/\/+$/, "") ?? state.listeningUrl;
}

/** The repository's owner; a repository always has one in the world, this only guards a race with a deletion. */
export function ownerOf(state: StandInState, repo: Repository): Account {
  return state.world.account(repo.owner) ?? { id: 0, login: repo.owner, name: null, email: null, type: "Organization" };
}

/** `repository-webhooks`: the repository object every repository event carries. */
export function webhookRepository(state: StandInState, repo: Repository): Record<string, unknown> {
  const base = deliveryBase(state);
  return {
    ...repository(repo, ownerOf(state, repo), base, { withDownloads: true }),
    allow_forking: true,
    web_commit_signoff_required: false,
  };
}

export function sender(state: StandInState, account: Account): Record<string, unknown> {
  return simpleUser(account, deliveryBase(state));
}

/** GitHub Actions' bot account (github.com's own id for it), the sender of what its workflows report. */
export const GITHUB_ACTIONS_BOT: Account = {
  id: 41898282,
  login: "github-actions[bot]",
  name: null,
  email: null,
  type: "Bot",
};

/**
 * Who a commit the stand-in was never told about is attributed to: GitHub's own web-commit identity, since every
 * payload's commit must name someone with an address.
 */
export const UNKNOWN_COMMITTER = { name: "GitHub", email: "noreply@github.com" };
