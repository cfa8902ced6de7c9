import { describe, expect, it } from "vitest";
import { gateStartToken } from "./start-token";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("gateStartToken", () => {
  it("is what AWS accepts as a clientRequestToken", () => {
    expect(gateStartToken("cmpipeline1", SHA)).toMatch(/^[a-zA-Z0-9-]{1,128}$/);
  });

  it("is the same for the same pipeline and commit, whatever the SHA's case", () => {
    expect(gateStartToken("p1", SHA)).toBe(gateStartToken("p1", SHA.toUpperCase()));
  });

  it("differs between pipelines and between commits", () => {
    const tokens = new Set([
      gateStartToken("p1", SHA),
      gateStartToken("p2", SHA),
      gateStartToken("p1", "f".repeat(40)),
    ]);
    expect(tokens.size).toBe(3);
  });
});
