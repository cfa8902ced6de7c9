import { commitShape } from "../../shapes/git-commit";
import { apiUrl, nodeId } from "../../shapes/urls";
import type { StandInState } from "../../state";
import type { CommitStatusRecord } from "../../world/records";
import type { Account, Repository } from "../../world/world";
import { UNKNOWN_COMMITTER, deliveryBase, sender, webhookRepository } from "./common";

/** The `status` event: the status itself, its commit (as GET …/commits/{sha} shows it when known) and the repository. */
export async function statusPayload(
  state: StandInState,
  input: { status: CommitStatusRecord; repository: Repository; sender: Account },
): Promise<Record<string, unknown>> {
  const { status, repository } = input;
  const base = deliveryBase(state);
  const log = await state.commits.log(repository.fullName, status.sha, 1);
  const known = log === "unreachable" ? undefined : log.find((c) => c.sha === status.sha);
  const users = [...state.world.users.values()];
  const commit = known
    ? commitShape({ repository: repository.fullName, commit: known, users, base })
    : minimalCommit(base, repository.fullName, status.sha, status.createdAt);
  return {
    id: status.id,
    sha: status.sha,
    name: repository.fullName,
    target_url: status.targetUrl,
    avatar_url: `${base}/avatars/${status.creator}.svg`,
    context: status.context,
    description: status.description,
    state: status.state,
    commit,
    branches: [],
    created_at: status.createdAt,
    updated_at: status.createdAt,
    repository: webhookRepository(state, repository),
    sender: sender(state, input.sender),
  };
}

/** A commit the stand-in has not been told about: what its SHA alone allows. */
function minimalCommit(base: string, repository: string, sha: string, at: string): Record<string, unknown> {
  const url = apiUrl(base, `/repos/${repository}/commits/${sha}`);
  const person = { ...UNKNOWN_COMMITTER, date: at };
  return {
    sha,
    node_id: nodeId("Commit", 0),
    commit: {
      author: person,
      committer: person,
      message: "",
      tree: { sha, url: apiUrl(base, `/repos/${repository}/git/trees/${sha}`) },
      url: apiUrl(base, `/repos/${repository}/git/commits/${sha}`),
      comment_count: 0,
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    },
    url,
    html_url: `${base}/${repository}/commit/${sha}`,
    comments_url: `${url}/comments`,
    author: null,
    committer: null,
    parents: [],
  };
}
