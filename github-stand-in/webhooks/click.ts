// A person clicks one of a check run's buttons (a requested action): GitHub sends `check_run` `requested_action`,
// with that person as the sender, to the App that owns the run, and to nobody else. The control plane and the
// commit page both click through here, so a click from the page is exactly the delivery the control plane sends.
import type { StandInState } from "../state";
import type { CheckRunRecord } from "../world/records";
import type { Repository, UserRecord } from "../world/world";
import { emitCheckRun } from "./events";

export type Click = { kind: "sent"; identifier: string } | { kind: "no-such-button" };

export function clickCheckRunButton(
  state: StandInState,
  input: { repository: Repository; run: CheckRunRecord; user: UserRecord; identifier: unknown },
): Click {
  const action = input.run.actions.find((a) => a.identifier === input.identifier);
  if (!action) return { kind: "no-such-button" };
  emitCheckRun(state, {
    run: input.run,
    repository: input.repository,
    action: "requested_action",
    sender: input.user,
    identifier: action.identifier,
  });
  return { kind: "sent", identifier: action.identifier };
}
