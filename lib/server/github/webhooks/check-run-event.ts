// What a `check_run` delivery says, in Stageboard's terms (pure). Every field is untrusted: each is taken only when
// it has GitHub's shape, and a delivery missing one Stageboard needs is not acted on.
import { field } from "./payload-field";

export type CheckRunEvent = {
  action: "requested_action" | "rerequested";
  checkRunId: bigint;
  /** The App that made the run: only Stageboard's own runs are acted on. */
  appId: number | null;
  headSha: string;
  externalId: string | null;
  name: string;
  /** The button's identifier (requested_action only). */
  identifier: string | null;
  sender: { githubId: bigint; login: string };
  installationId: bigint | null;
  /** owner/name, lower-cased. */
  repository: string;
};

const FULL_NAME = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;
const SHA = /^[0-9a-f]{40}$/;

const positiveId = (value: unknown): bigint | null =>
  Number.isSafeInteger(value) && (value as number) > 0 ? BigInt(value as number) : null;
const text = (value: unknown, max: number): string | null =>
  typeof value === "string" && value.length > 0 && value.length <= max ? value : null;

/** The event, or why it is not one Stageboard acts on. */
export function checkRunEvent(
  payload: unknown,
): { kind: "event"; event: CheckRunEvent } | { kind: "ignored"; reason: string } {
  const action = field(payload, "action");
  if (action !== "requested_action" && action !== "rerequested")
    return {
      kind: "ignored",
      reason: `check_run ${typeof action === "string" ? action.slice(0, 40) : "without an action"}`,
    };
  const run = field(payload, "check_run");
  const checkRunId = positiveId(field(run, "id"));
  const headSha = text(field(run, "head_sha"), 40)?.toLowerCase() ?? null;
  const name = text(field(run, "name"), 255);
  const senderId = positiveId(field(field(payload, "sender"), "id"));
  const login = text(field(field(payload, "sender"), "login"), 60);
  const repository = text(field(field(payload, "repository"), "full_name"), 141);
  if (
    !checkRunId ||
    !headSha ||
    !SHA.test(headSha) ||
    !name ||
    !senderId ||
    !login ||
    !LOGIN.test(login) ||
    !repository ||
    !FULL_NAME.test(repository)
  )
    return { kind: "ignored", reason: "check_run delivery without the run, its commit, the sender or the repository" };
  const appId = field(field(run, "app"), "id");
  const identifier =
    action === "requested_action" ? text(field(field(payload, "requested_action"), "identifier"), 20) : null;
  return {
    kind: "event",
    event: {
      action,
      checkRunId,
      appId: Number.isSafeInteger(appId) ? (appId as number) : null,
      headSha,
      externalId: text(field(run, "external_id"), 255),
      name,
      identifier,
      sender: { githubId: senderId, login },
      installationId: positiveId(field(field(payload, "installation"), "id")),
      repository: repository.toLowerCase(),
    },
  };
}
