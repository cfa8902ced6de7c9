// A CodeStar connection source reports its revision as a JSON summary
// ({"ProviderType":"GitHubEnterpriseServer","CommitMessage":"..."}); other actions report plain text.
// The summary is untrusted and may arrive cut short (AWS and our mapper both cap its length), so a
// summary that starts like that JSON but does not parse is read as far as it goes, never shown raw.

export type SourceSummary =
  | { kind: "none" }
  | { kind: "text"; text: string }
  | { kind: "commit"; message: string | null; provider: string | null; truncated: boolean };

const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  GitHub: "GitHub",
  GitHubEnterpriseServer: "GitHub Enterprise Server",
  Bitbucket: "Bitbucket",
  GitLab: "GitLab",
  GitLabSelfManaged: "GitLab self-managed",
  AzureDevOps: "Azure DevOps",
};

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/** A JSON string literal's value from `start` (just after its opening quote); `complete` is false when cut short. */
function readJsonString(text: string, start: number): { value: string; complete: boolean } {
  let value = "";
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') return { value, complete: true };
    if (c !== "\\") {
      value += c;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) break;
    if (next === "u") {
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) break;
      value += String.fromCharCode(parseInt(hex, 16));
      i += 5;
    } else {
      value += ESCAPES[next] ?? next;
      i += 1;
    }
  }
  return { value, complete: false };
}

/** The value of `"key": "..."` in a JSON text that may be cut short or malformed; null when absent. */
function looseField(text: string, key: string): { value: string; complete: boolean } | null {
  const match = new RegExp(`"${key}"\\s*:\\s*"`).exec(text);
  return match ? readJsonString(text, match.index + match[0].length) : null;
}

function fromObject(parsed: Record<string, unknown>): SourceSummary {
  const message = typeof parsed.CommitMessage === "string" ? parsed.CommitMessage : null;
  const provider = typeof parsed.ProviderType === "string" ? parsed.ProviderType : null;
  return { kind: "commit", message, provider, truncated: false };
}

export function parseSourceSummary(raw: string | null | undefined): SourceSummary {
  if (typeof raw !== "string") return { kind: "none" };
  const trimmed = raw.trim();
  if (trimmed === "") return { kind: "none" };
  if (!trimmed.startsWith("{")) return { kind: "text", text: trimmed };
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      return fromObject(parsed as Record<string, unknown>);
    }
  } catch {
    // Cut short or malformed: read what can be read below.
  }
  const message = looseField(trimmed, "CommitMessage");
  const provider = looseField(trimmed, "ProviderType");
  if (message || provider) {
    return {
      kind: "commit",
      message: message?.value ?? null,
      provider: provider?.complete ? provider.value : null,
      truncated: message ? !message.complete : false,
    };
  }
  // A plain message that happens to start with a brace.
  return { kind: "text", text: trimmed };
}

/**
 * What the graph and the timeline show for an action's summary: the commit message of a connection
 * source (its first line unless `full`), or the text as given. Null when there is nothing to show.
 */
export function sourceSummaryText(raw: string | null | undefined, options: { full?: boolean } = {}): string | null {
  const summary = parseSourceSummary(raw);
  switch (summary.kind) {
    case "none":
      return null;
    case "text":
      return summary.text;
    case "commit": {
      if (summary.message === null || summary.message.trim() === "") {
        const provider = summary.provider ? (PROVIDER_NAMES[summary.provider] ?? summary.provider) : null;
        return provider ? `${provider} commit` : null;
      }
      const message = options.full ? summary.message.trim() : (summary.message.trim().split(/\r?\n/, 1)[0] ?? "");
      return summary.truncated && (options.full || !summary.message.includes("\n")) ? `${message}…` : message;
    }
  }
}
