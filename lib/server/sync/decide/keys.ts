// The one spelling of an action's key, `stage/action`: approvals, timeouts, durations and kinds are all
// looked up by it, so two spellings would silently miss each other.
import "server-only";

export function actionKey(stageName: string, actionName: string): string {
  return `${stageName}/${actionName}`;
}
