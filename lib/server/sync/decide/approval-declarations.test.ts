import { describe, expect, it } from "vitest";
import {
  APPROVAL_TIMEOUT_MINUTES,
  approvalDeclarations,
  approvalExpiresAt,
  approvalFactsUpdate,
  CONFIGURATION_VALUE_MAX,
  type ApprovalDeclaration,
} from "./approval-declarations";

const approvalType = { category: "Approval", owner: "AWS", provider: "Manual", version: "1" };
const declaration = (...actions: Record<string, unknown>[]) => ({
  name: "web-app",
  stages: [
    {
      name: "Source",
      actions: [{ name: "Source", actionTypeId: { category: "Source" }, configuration: { CustomData: "not one" } }],
    },
    { name: "Gate", actions },
  ],
});

describe("approvalDeclarations", () => {
  it("reads each approval's timeout, CustomData and review link, keyed by stage/action", () => {
    const map = approvalDeclarations(
      declaration({
        name: "Release",
        actionTypeId: approvalType,
        timeoutInMinutes: 60,
        configuration: {
          CustomData: "Ship #{SourceVariables.CommitId}?\nSee the checklist.",
          ExternalEntityLink: "https://example.com/review/42",
          NotificationArn: "arn:aws:sns:us-east-1:111122223333:approvals",
        },
      }),
    );
    expect([...map.entries()]).toEqual([
      [
        "Gate/Release",
        {
          timeoutMinutes: 60,
          customData: "Ship #{SourceVariables.CommitId}?\nSee the checklist.",
          externalEntityLink: "https://example.com/review/42",
        },
      ],
    ]);
  });

  it("leaves out actions that are not approvals, and approvals without names", () => {
    const map = approvalDeclarations(
      declaration(
        { name: "Build", actionTypeId: { category: "Build" }, timeoutInMinutes: 30 },
        { actionTypeId: approvalType },
        { name: "", actionTypeId: approvalType },
        { name: "NoType", timeoutInMinutes: 30 },
      ),
    );
    expect(map.size).toBe(0);
  });

  it("gives nulls for what is undeclared or of the wrong type, and an empty map for no declaration", () => {
    const map = approvalDeclarations(
      declaration(
        { name: "Bare", actionTypeId: approvalType },
        {
          name: "Odd",
          actionTypeId: approvalType,
          timeoutInMinutes: "60",
          configuration: { CustomData: 7, ExternalEntityLink: ["https://example.com"] },
        },
        { name: "Blank", actionTypeId: approvalType, configuration: { CustomData: "  \n", ExternalEntityLink: " " } },
      ),
    );
    const none: ApprovalDeclaration = { timeoutMinutes: null, customData: null, externalEntityLink: null };
    expect(map.get("Gate/Bare")).toEqual(none);
    expect(map.get("Gate/Odd")).toEqual(none);
    expect(map.get("Gate/Blank")).toEqual(none);
    expect(approvalDeclarations(null).size).toBe(0);
    expect(approvalDeclarations({ stages: "nope" }).size).toBe(0);
    expect(approvalDeclarations({ stages: [null, { name: "S", actions: [null, 3] }] }).size).toBe(0);
  });

  it("caps CustomData at AWS's 1000 characters without splitting a character, and strips NUL", () => {
    const long = `${"a".repeat(CONFIGURATION_VALUE_MAX - 1)}😀tail`;
    const map = approvalDeclarations(
      declaration(
        { name: "Long", actionTypeId: approvalType, configuration: { CustomData: long } },
        { name: "Nul", actionTypeId: approvalType, configuration: { CustomData: "a\u0000b" } },
      ),
    );
    expect(map.get("Gate/Long")?.customData).toBe("a".repeat(CONFIGURATION_VALUE_MAX - 1));
    expect(map.get("Gate/Nul")?.customData).toBe("ab");
  });

  it("keeps a review link as given, and drops one too long to be real rather than cut it", () => {
    const map = approvalDeclarations(
      declaration(
        { name: "Js", actionTypeId: approvalType, configuration: { ExternalEntityLink: "javascript:alert(1)" } },
        {
          name: "Long",
          actionTypeId: approvalType,
          configuration: { ExternalEntityLink: `https://example.com/${"x".repeat(CONFIGURATION_VALUE_MAX)}` },
        },
      ),
    );
    // Made safe where it is shown (list-inbox's safeHttpUrl), so what AWS said stays on record.
    expect(map.get("Gate/Js")?.externalEntityLink).toBe("javascript:alert(1)");
    expect(map.get("Gate/Long")?.externalEntityLink).toBeNull();
  });
});

describe("approvalExpiresAt", () => {
  const at = new Date("2026-12-01T10:00:00Z");
  const minutesAfter = (expires: Date) => (expires.getTime() - at.getTime()) / 60_000;

  it("waits the declared timeout", () => {
    expect(minutesAfter(approvalExpiresAt(at, 90))).toBe(90);
  });

  it("waits AWS's 7 days when no timeout is declared", () => {
    expect(minutesAfter(approvalExpiresAt(at, null))).toBe(7 * 24 * 60);
    expect(minutesAfter(approvalExpiresAt(at, Number.NaN))).toBe(APPROVAL_TIMEOUT_MINUTES.unset);
  });

  it("holds the timeout to AWS's 5 minutes to 60 days, so nothing expires at once or never", () => {
    expect(minutesAfter(approvalExpiresAt(at, 0))).toBe(5);
    expect(minutesAfter(approvalExpiresAt(at, -30))).toBe(5);
    expect(minutesAfter(approvalExpiresAt(at, 1_000_000))).toBe(86_400);
    expect(minutesAfter(approvalExpiresAt(at, Number.POSITIVE_INFINITY))).toBe(APPROVAL_TIMEOUT_MINUTES.unset);
  });
});

describe("approvalFactsUpdate", () => {
  const declared = { timeoutMinutes: null, customData: "Ship it?", externalEntityLink: "https://example.com/r" };

  it("fills a row stored without them, and follows a changed declaration", () => {
    expect(approvalFactsUpdate({ customData: null, externalEntityLink: null }, declared)).toEqual({
      customData: "Ship it?",
      externalEntityLink: "https://example.com/r",
    });
    expect(
      approvalFactsUpdate(
        { customData: "Ship it?", externalEntityLink: "https://example.com/r" },
        { ...declared, customData: null },
      ),
    ).toEqual({ customData: null, externalEntityLink: "https://example.com/r" });
  });

  it("writes nothing when the row already says it, or when no declaration is known", () => {
    expect(approvalFactsUpdate({ customData: "Ship it?", externalEntityLink: "https://example.com/r" }, declared)).toBe(
      null,
    );
    expect(approvalFactsUpdate({ customData: "kept", externalEntityLink: null }, null)).toBeNull();
  });
});
