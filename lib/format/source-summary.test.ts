import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSourceSummary, sourceSummaryText } from "./source-summary";

describe("parseSourceSummary", () => {
  it("reads a connection source's JSON summary, backslashes and all", () => {
    const raw = JSON.stringify({
      ProviderType: "GitHubEnterpriseServer",
      CommitMessage: "test: cover the \\ backslash path on Windows",
    });
    expect(parseSourceSummary(raw)).toEqual({
      kind: "commit",
      message: "test: cover the \\ backslash path on Windows",
      provider: "GitHubEnterpriseServer",
      truncated: false,
    });
    expect(sourceSummaryText(raw)).toBe("test: cover the \\ backslash path on Windows");
  });

  it("shows the first line unless asked for the whole message", () => {
    const raw = JSON.stringify({ ProviderType: "GitHub", CommitMessage: "feat: one\n\nbody line" });
    expect(sourceSummaryText(raw)).toBe("feat: one");
    expect(sourceSummaryText(raw, { full: true })).toBe("feat: one\n\nbody line");
  });

  it("reads a summary cut short in the middle of the message, escapes included", () => {
    const raw = '{"ProviderType":"Bitbucket","CommitMessage":"fix: say \\"hi\\" \\u00e9 and then the text stops her';
    expect(parseSourceSummary(raw)).toEqual({
      kind: "commit",
      message: 'fix: say "hi" é and then the text stops her',
      provider: "Bitbucket",
      truncated: true,
    });
    expect(sourceSummaryText(raw)).toBe('fix: say "hi" é and then the text stops her…');
    // Cut inside an escape: the half escape is dropped.
    expect(sourceSummaryText('{"CommitMessage":"abc\\')).toBe("abc…");
    expect(sourceSummaryText('{"CommitMessage":"abc\\u00')).toBe("abc…");
  });

  it("names the provider when there is no message", () => {
    expect(sourceSummaryText('{"ProviderType":"GitHubEnterpriseServer"}')).toBe("GitHub Enterprise Server commit");
    expect(sourceSummaryText('{"ProviderType":"Acme"}')).toBe("Acme commit");
    expect(sourceSummaryText('{"CommitMessage":""}')).toBeNull();
    expect(sourceSummaryText("{}")).toBeNull();
  });

  it("keeps plain summaries as text and ignores empty ones", () => {
    expect(sourceSummaryText("Build succeeded")).toBe("Build succeeded");
    expect(sourceSummaryText("{not json at all")).toBe("{not json at all");
    expect(sourceSummaryText("   ")).toBeNull();
    expect(sourceSummaryText(null)).toBeNull();
    expect(parseSourceSummary(undefined)).toEqual({ kind: "none" });
  });

  it("never shows the raw JSON of a summary that parses", () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string(), { nil: undefined }), (message, provider) => {
        const raw = JSON.stringify({ ProviderType: provider, CommitMessage: message });
        const shown = sourceSummaryText(raw, { full: true });
        expect(shown ?? "").not.toContain('"CommitMessage"');
        if (message.trim()) expect(shown).toBe(message.trim());
      }),
    );
  });

  it("tolerates any garbage", () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const shown = sourceSummaryText(raw);
        expect(shown === null || typeof shown === "string").toBe(true);
      }),
    );
  });

  it("reads every prefix of a JSON summary without showing its keys", () => {
    const raw = JSON.stringify({ ProviderType: "GitHub", CommitMessage: 'a "quoted" \\ message\twith tab' });
    const at = raw.indexOf('"CommitMessage":"') + '"CommitMessage":"'.length;
    for (let end = at; end <= raw.length; end++) {
      const shown = sourceSummaryText(raw.slice(0, end), { full: true }) ?? "";
      expect(shown).not.toContain("CommitMessage");
    }
  });
});
