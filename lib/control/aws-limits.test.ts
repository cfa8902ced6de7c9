import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AWS_TEXT_LIMITS,
  TRANSITION_REASON_FALLBACK,
  TRANSITION_REASON_PATTERN,
  fitApprovalSummary,
  fitStopReason,
  fitTransitionReason,
} from "./aws-limits";

// Any text a person might type, astral characters (emoji, whose halves must stay together) included.
const anyText = fc.string({ unit: "binary", maxLength: 1200 });
const attribution = fc.constantFrom(
  "",
  " (by @ada via Stageboard)",
  " (by @a-very-long-login-name-of-39-chars- via Stageboard)",
);
const hasLoneSurrogate = (text: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe("fitApprovalSummary", () => {
  it("sends a summary that fits unchanged", () => {
    const text = "Approved by @ada (Ada Lovelace) via Stageboard: ship it";
    expect(fitApprovalSummary(text)).toBe(text);
    expect(fitApprovalSummary("x".repeat(512))).toBe("x".repeat(512));
  });

  it("cuts a longer one to 512 with an ellipsis, keeping its start", () => {
    const fitted = fitApprovalSummary(`Approved by @ada via Stageboard: ${"y".repeat(600)}`);
    expect(fitted).toHaveLength(512);
    expect(fitted.startsWith("Approved by @ada via Stageboard: yyy")).toBe(true);
    expect(fitted.endsWith("…")).toBe(true);
  });

  it("never splits an emoji at the cut", () => {
    const fitted = fitApprovalSummary(`${"a".repeat(510)}😀😀😀`);
    expect(fitted.length).toBeLessThanOrEqual(512);
    expect(hasLoneSurrogate(fitted)).toBe(false);
  });

  it("for any text: at most 512 code units, a prefix of the text, whole characters", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const fitted = fitApprovalSummary(text);
        expect(fitted.length).toBeLessThanOrEqual(AWS_TEXT_LIMITS.approvalSummary);
        if (text.length <= 512) expect(fitted).toBe(text);
        else expect(text.startsWith(fitted.slice(0, -1))).toBe(true);
        if (!hasLoneSurrogate(text)) expect(hasLoneSurrogate(fitted)).toBe(false);
      }),
    );
  });
});

describe("fitStopReason", () => {
  it("keeps the attribution whole however long the reason is", () => {
    const fitted = fitStopReason("z".repeat(500), " (by @ada via Stageboard)");
    expect(fitted).toHaveLength(200);
    expect(fitted.endsWith("… (by @ada via Stageboard)")).toBe(true);
  });

  it("leaves a short reason and an empty one alone", () => {
    expect(fitStopReason("wrong branch")).toBe("wrong branch");
    expect(fitStopReason("")).toBe("");
  });

  it("for any reason and attribution: at most 200, ending with the attribution", () => {
    fc.assert(
      fc.property(anyText, attribution, (text, suffix) => {
        const fitted = fitStopReason(text, suffix);
        expect(fitted.length).toBeLessThanOrEqual(AWS_TEXT_LIMITS.stopReason);
        expect(fitted.endsWith(suffix)).toBe(true);
        if (text.length + suffix.length <= 200) expect(fitted).toBe(text + suffix);
      }),
    );
  });
});

describe("fitTransitionReason", () => {
  it("sends a reason AWS accepts unchanged", () => {
    expect(fitTransitionReason("Release freeze until Monday (INC-42)!")).toBe("Release freeze until Monday (INC-42)!");
  });

  it("replaces what AWS's pattern refuses instead of refusing the reason", () => {
    expect(fitTransitionReason("Freeze: see #1234, don't deploy")).toBe("Freeze see 1234 dont deploy");
    expect(fitTransitionReason("Café in São Paulo is down")).toBe("Cafe in Sao Paulo is down");
    expect(fitTransitionReason("api_gateway/v2 [broken]\nback soon")).toBe("api-gateway-v2 (broken) back soon");
  });

  it("adds the attribution, itself made safe, and keeps it when the reason is cut", () => {
    expect(fitTransitionReason("freeze", "(by @ada via Stageboard)")).toBe("freeze (by @ada via Stageboard)");
    const fitted = fitTransitionReason("w".repeat(400), "(by @ada via Stageboard)");
    expect(fitted).toHaveLength(300);
    expect(fitted.endsWith("... (by @ada via Stageboard)")).toBe(true);
  });

  it("is never empty, even when nothing of the reason survives", () => {
    expect(fitTransitionReason("🚧🚧")).toBe(TRANSITION_REASON_FALLBACK);
    expect(fitTransitionReason("   ")).toBe(TRANSITION_REASON_FALLBACK);
    expect(fitTransitionReason("本番停止中")).toBe(TRANSITION_REASON_FALLBACK);
    expect(fitTransitionReason("🚧", "(by @ada via Stageboard)")).toBe("(by @ada via Stageboard)");
  });

  it("for any reason and attribution: 1 to 300 characters of the pattern", () => {
    fc.assert(
      fc.property(anyText, attribution, (text, suffix) => {
        const fitted = fitTransitionReason(text, suffix);
        expect(fitted.length).toBeGreaterThanOrEqual(1);
        expect(fitted.length).toBeLessThanOrEqual(AWS_TEXT_LIMITS.transitionReason);
        expect(fitted).toMatch(TRANSITION_REASON_PATTERN);
        if (suffix && fitted !== TRANSITION_REASON_FALLBACK) expect(fitted.endsWith(suffix.trim())).toBe(true);
      }),
    );
  });

  it("for any reason already in the pattern (single-spaced, trimmed, ≤ 300): the reason itself", () => {
    const allowed = fc
      .string({ unit: fc.constantFrom(..."abcXYZ019!@ ().*?-"), minLength: 1, maxLength: 300 })
      .map((s) => s.replace(/ {2,}/g, " ").trim())
      .filter((s) => s.length > 0);
    fc.assert(
      fc.property(allowed, (text) => {
        expect(fitTransitionReason(text)).toBe(text);
      }),
    );
  });
});
