// Triggers in words, as a GitHub user reads them ("push to main", "started by @ada", "webhook"),
// instead of CodePipeline's trigger types, ARNs and filter JSON. Every input is untrusted AWS data:
// the result is plain text, rendered escaped.

const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  GitHub: "GitHub",
  GitHubEnterpriseServer: "GitHub Enterprise Server",
  Bitbucket: "Bitbucket",
  GitLab: "GitLab",
  GitLabSelfManaged: "GitLab self-managed",
  AzureDevOps: "Azure DevOps",
};

const CONNECTION_ARN =
  /^arn:aws[a-z-]*:(?:codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/([0-9a-zA-Z-]+)$/;

/**
 * A connection ARN as people name it: its provider and the start of its id (the ARN holds no
 * friendlier name), e.g. "GitHub connection 3f2a9c1e". Null when `arn` is not a connection ARN.
 */
export function connectionLabel(arn: string | null | undefined, provider?: string | null): string | null {
  const match = arn ? CONNECTION_ARN.exec(arn.trim()) : null;
  if (!match?.[1]) return null;
  const name = provider ? (PROVIDER_NAMES[provider] ?? provider) : null;
  return `${name ? `${name} ` : ""}connection ${match[1].slice(0, 8)}`;
}

/** Who an IAM ARN is: "alice (role Admin)", "bob (IAM user)"; null when it is no IAM identity. */
function iamIdentity(arn: string): string | null {
  const assumed = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (assumed) return `${assumed[2]} (role ${assumed[1]})`;
  const user = /^arn:aws[a-z-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (user) return `${user[1]} (IAM user)`;
  if (/^arn:aws[a-z-]*:iam::\d{12}:root$/.test(arn)) return "the account's root user";
  return null;
}

export interface ExecutionTriggerInput {
  triggerType: string | null | undefined;
  triggerDetail?: string | null;
  /** The GitHub login of whoever started it from Stageboard, when it was. */
  startedBy?: string | null;
  connectionProvider?: string | null;
}

/** One execution's trigger in words. */
export function executionTriggerText(input: ExecutionTriggerInput): string {
  const detail = input.triggerDetail?.trim() ?? "";
  if (input.startedBy) return `started by @${input.startedBy}`;
  switch (input.triggerType) {
    case "StartPipelineExecution": {
      const who = iamIdentity(detail);
      return who ? `started by ${who}` : "started manually";
    }
    case "CreatePipeline":
      return "pipeline created";
    case "Webhook":
      return "webhook";
    case "WebhookV2": {
      const connection = connectionLabel(detail, input.connectionProvider);
      return connection ? `push or pull request via ${connection}` : "push or pull request";
    }
    case "PollForSourceChanges":
      return "polling";
    case "CloudWatchEvent":
    case "PutActionRevision":
      return input.triggerType === "CloudWatchEvent" ? "CloudWatch event" : "new source revision";
    case "ManualRollback": {
      const who = iamIdentity(detail);
      return who ? `rolled back by ${who}` : "rolled back manually";
    }
    case "AutomatedRollback":
      return "automatic rollback";
    case null:
    case undefined:
    case "":
      return "unknown trigger";
    default:
      // A type AWS added since: split its words rather than show the identifier.
      return input.triggerType.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  }
}

type Filter = { includes?: unknown; excludes?: unknown };

const names = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v.trim() !== "").slice(0, 10) : [];

function filterText(filter: unknown, noun: string): string | null {
  if (!filter || typeof filter !== "object") return null;
  const f = filter as Filter;
  const includes = names(f.includes);
  const excludes = names(f.excludes);
  if (!includes.length && !excludes.length) return null;
  return [includes.join(", "), excludes.length ? `not ${excludes.join(", ")}` : ""]
    .filter(Boolean)
    .join(" ")
    .replace(/^/, noun ? `${noun} ` : "");
}

const PR_EVENTS: Readonly<Record<string, string>> = { OPEN: "opened", UPDATED: "updated", CLOSED: "closed" };

/** One push or pull request filter of a declared trigger: "push to main", "pull request (opened) to main". */
function gitFilterText(kind: "push" | "pullRequest", raw: unknown): string {
  const o = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const branches = filterText(o.branches, "");
  const tags = filterText(o.tags, "tag");
  const paths = filterText(o.filePaths, "");
  const events = names(o.events).map((e) => PR_EVENTS[e] ?? e.toLowerCase());
  const head = kind === "push" ? "push" : `pull request${events.length ? ` (${events.join(", ")})` : ""}`;
  return [head, tags ? `of ${tags}` : "", branches ? `to ${branches}` : "", paths ? `touching ${paths}` : ""]
    .filter(Boolean)
    .join(" ");
}

/** A V2 pipeline's declared triggers in words, one line per push or pull request filter. */
export function declaredTriggerTexts(json: unknown): string[] {
  if (!Array.isArray(json)) return [];
  return json.slice(0, 20).flatMap((t: unknown) => {
    const o = (t && typeof t === "object" ? t : {}) as Record<string, unknown>;
    const git = (o.gitConfiguration && typeof o.gitConfiguration === "object" ? o.gitConfiguration : {}) as Record<
      string,
      unknown
    >;
    const source = typeof git.sourceActionName === "string" ? ` (on ${git.sourceActionName})` : "";
    const lines = (["push", "pullRequest"] as const).flatMap((kind) =>
      Array.isArray(git[kind]) ? git[kind].slice(0, 10).map((f: unknown) => gitFilterText(kind, f) + source) : [],
    );
    return lines.length ? lines : [`any change${source}`];
  });
}
