// The commit an execution built: SHA, message, link and branch, from whichever revision describes the
// mapped source action. CodeStarSourceConnection revision summaries are JSON ({"ProviderType","CommitMessage"}).
import "server-only";
import type { ActionExecutionInfo, SourceRevisionInfo } from "@/lib/server/aws/types";

export interface CommitInfo {
  commitSha: string | null;
  commitMessage: string | null;
  commitUrl: string | null;
  branch: string | null;
}

const SHA = /^[0-9a-f]{40}$/i;

export function commitMessageOf(summary: string | null): string | null {
  if (!summary) return null;
  const trimmed = summary.trim();
  if (trimmed.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed && typeof parsed === "object" && "CommitMessage" in parsed) {
        const message = parsed.CommitMessage;
        return typeof message === "string" ? message.slice(0, 2048) : null;
      }
    } catch {
      // Not JSON after all: a plain message that happens to start with a brace.
    }
  }
  return summary.slice(0, 2048);
}

export function commitInfo(options: {
  revisions: SourceRevisionInfo[];
  sourceActionName: string | null;
  repositoryFullName: string | null;
  defaultBranch: string | null;
  githubUrl: string;
  sourceAction?: ActionExecutionInfo | null;
}): CommitInfo {
  const { revisions, sourceActionName, repositoryFullName } = options;
  const revision =
    revisions.find((r) => sourceActionName !== null && r.actionName === sourceActionName) ?? revisions[0];
  const variables = options.sourceAction?.outputVariables ?? {};
  const sha = revision?.revisionId && SHA.test(revision.revisionId) ? revision.revisionId.toLowerCase() : null;
  const commitSha =
    sha ?? (variables.CommitId && SHA.test(variables.CommitId) ? variables.CommitId.toLowerCase() : null);
  const branch = variables.BranchName?.slice(0, 255) ?? options.defaultBranch;
  const commitUrl =
    commitSha && repositoryFullName
      ? `${options.githubUrl}/${repositoryFullName}/commit/${commitSha}`
      : (revision?.revisionUrl ?? null);
  return {
    commitSha,
    commitMessage:
      commitMessageOf(revision?.revisionSummary ?? null) ?? variables.CommitMessage?.slice(0, 2048) ?? null,
    commitUrl,
    branch,
  };
}
