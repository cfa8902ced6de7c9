import "server-only";
import type { CodePipelineClient } from "@aws-sdk/client-codepipeline";

// What every command's `send` is handed by runCommand (lib/server/control/run-command.ts) once the viewer
// may give it: the command client (lib/server/aws/control-client.ts) and the pipeline it is for. A send calls
// AWS once and lets AWS's error through untouched: runCommand describes it (describeControlError with the
// operation of COMMAND_OPERATIONS) and audits it.

export interface SendContext {
  client: CodePipelineClient;
  pipeline: { id: string; name: string; targetId: string; repositoryFullName: string | null };
  /** The audit attempt's id: what start-execution's clientRequestToken is derived from. */
  attemptId: string;
}

export interface SendResult {
  awsRequestId: string | null;
  message: string;
}

export type CommandSend = (ctx: SendContext) => Promise<SendResult>;

/** Who gives the command, as the audit log and AWS's free-text fields name them. */
export interface CommandActor {
  githubId: bigint;
  login: string;
}

export function awsRequestIdOf(output: { $metadata?: { requestId?: string } }): string | null {
  return output.$metadata?.requestId ?? null;
}

/** Appended to what AWS records (a stop's reason, a transition's), so the console shows the person, not the role. */
export function byline(actor: CommandActor): string {
  return ` (by @${actor.login} via Stageboard)`;
}

/** An execution id as people read it: its first eight characters. */
export const shortId = (executionId: string) => executionId.slice(0, 8);
