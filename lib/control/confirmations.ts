import type { CommandBody } from "./contract";

// What a confirmation dialog says before a command is sent: it names the pipeline, the stage and the
// execution, and what will happen to the work in progress, so nobody stops the wrong run by a slip.

export type Confirmation = { title: string; message: string; confirmLabel: string; destructive: boolean };

export type ConfirmationContext = {
  pipelineName: string;
  /** Actions running now in what the command touches (stop: the execution's; rollback: none). */
  inProgressActions?: number;
};

const short = (executionId: string) => executionId.slice(0, 8);
const actions = (n: number) => (n === 1 ? "the 1 action in progress" : `the ${n} actions in progress`);

export function confirmationFor(command: CommandBody, context: ConfirmationContext): Confirmation {
  const pipeline = context.pipelineName;
  const running = context.inProgressActions ?? 0;
  switch (command.kind) {
    case "stop-execution": {
      const which = `execution ${short(command.executionId)} of ${pipeline}`;
      if (command.abandon)
        return {
          title: "Stop and abandon",
          message:
            running > 0
              ? `Stop ${which} and abandon ${actions(running)}? Their results are lost and nothing after them runs.`
              : `Stop ${which} and abandon whatever is in progress? Nothing after it runs.`,
          confirmLabel: "Stop and abandon",
          destructive: true,
        };
      return {
        title: "Stop execution",
        message:
          running > 1
            ? `Stop ${which}? The ${running} actions in progress finish first; nothing after them runs.`
            : running === 1
              ? `Stop ${which}? The action in progress finishes first; nothing after it runs.`
              : `Stop ${which}? What is in progress finishes first; nothing after it runs.`,
        confirmLabel: "Stop execution",
        destructive: true,
      };
    }
    case "retry-stage":
      return {
        title: "Retry stage",
        message:
          command.retryMode === "FAILED_ACTIONS"
            ? `Retry the failed actions of stage ${command.stageName} in execution ${short(command.executionId)} of ${pipeline}?`
            : `Retry every action of stage ${command.stageName} in execution ${short(command.executionId)} of ${pipeline}, including the ones that succeeded?`,
        confirmLabel: "Retry",
        destructive: false,
      };
    case "disable-transition":
      return {
        title: "Disable transition",
        message: `Disable the transition into ${command.stageName} of ${pipeline}? Executions wait before ${command.stageName} until it is enabled again.`,
        confirmLabel: "Disable transition",
        destructive: true,
      };
    case "enable-transition":
      return {
        title: "Enable transition",
        message: `Enable the transition into ${command.stageName} of ${pipeline}? The execution waiting before it, if any, enters ${command.stageName}.`,
        confirmLabel: "Enable transition",
        destructive: false,
      };
    case "start-execution": {
      const revisions = command.sourceRevisions.map((r) => `${r.actionName} at ${r.revisionValue.slice(0, 12)}`);
      return {
        title: "Release change",
        message: revisions.length
          ? `Start an execution of ${pipeline} with ${revisions.join(", ")}?`
          : `Start an execution of ${pipeline} with the latest source revision?`,
        confirmLabel: "Start execution",
        destructive: false,
      };
    }
    case "rollback-stage":
      return {
        title: "Roll back stage",
        message: `Roll stage ${command.stageName} of ${pipeline} back to execution ${short(command.targetExecutionId)}? A new execution runs ${command.stageName} again with that execution's artifacts.`,
        confirmLabel: "Roll back",
        destructive: true,
      };
    case "override-condition":
      return {
        title: "Override condition",
        message: `Override the ${command.conditionType === "BEFORE_ENTRY" ? "entry" : "success"} condition of stage ${command.stageName} for execution ${short(command.executionId)} of ${pipeline}? The stage goes on as if its rules had passed.`,
        confirmLabel: "Override",
        destructive: true,
      };
  }
}
