import { describe, expect, it } from "vitest";
import { parseCommitQuery } from "./commit-query";

describe("parseCommitQuery", () => {
  it("reads full SHAs and prefixes in lower case", () => {
    expect(parseCommitQuery("  3F2A9C1  ")).toEqual({ ok: true, query: { kind: "sha", prefix: "3f2a9c1" } });
    const full = "0123456789abcdef0123456789abcdef01234567";
    expect(parseCommitQuery(full)).toEqual({ ok: true, query: { kind: "sha", prefix: full } });
    // All digits is still hex: a prefix, not a pull request.
    expect(parseCommitQuery("4821")).toEqual({ ok: true, query: { kind: "sha", prefix: "4821" } });
  });

  it("reads a commit's or a pull request's GitHub address", () => {
    expect(parseCommitQuery("https://github.com/acme/web-app/commit/ABCDEF12")).toEqual({
      ok: true,
      query: { kind: "sha", prefix: "abcdef12" },
    });
    expect(parseCommitQuery("https://github.com/acme/web-app/pull/482/")).toEqual({
      ok: true,
      query: { kind: "pull-request", number: 482 },
    });
  });

  it("reads pull requests written #42, PR 42 or pull #42", () => {
    for (const text of ["#42", "PR 42", "pr#42", "pull #42", "#042"])
      expect(parseCommitQuery(text)).toEqual({ ok: true, query: { kind: "pull-request", number: 42 } });
  });

  it("refuses what is no SHA, too short a prefix, too long a value, and pull request zero", () => {
    const refused = ["", "   ", "abc", "main", "3f2a9c1g", "#0", "#1234567890", "a".repeat(65), "x".repeat(201)];
    for (const text of refused) {
      const parsed = parseCommitQuery(text);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.message.length).toBeGreaterThan(10);
    }
    const short = parseCommitQuery("abc");
    expect(short.ok ? "" : short.message).toContain("at least 4");
  });
});
