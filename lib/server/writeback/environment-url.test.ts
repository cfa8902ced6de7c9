import { describe, expect, it } from "vitest";
import { environmentUrlOf } from "./environment-url";

describe("environmentUrlOf", () => {
  it("takes a deploy action's exported URL, whatever the variable's case and separators", () => {
    expect(
      environmentUrlOf([
        { category: "Build", outputVariables: { URL: "https://build.example.com/log" } },
        { category: "Deploy", outputVariables: { Environment_URL: "https://staging.example.com" } },
      ]),
    ).toBe("https://staging.example.com/");
  });

  it("prefers the more specific name within an action", () => {
    expect(
      environmentUrlOf([
        {
          category: "Deploy",
          outputVariables: { url: "https://a.example.com/", EnvironmentUrl: "https://b.example.com/" },
        },
      ]),
    ).toBe("https://b.example.com/");
  });

  it("falls back to another action when no deploy action exports one", () => {
    expect(
      environmentUrlOf([
        { category: "Deploy", outputVariables: { StackId: "arn:aws:cloudformation:eu-west-1:1:stack/x" } },
        { category: "Invoke", outputVariables: { AppUrl: "http://10.0.0.5:8080/" } },
      ]),
    ).toBe("http://10.0.0.5:8080/");
  });

  it("refuses every value that is not an absolute http(s) URL", () => {
    for (const value of ["javascript:alert(1)", "/relative", "staging.example.com", 42, null, "x".repeat(3000)])
      expect(environmentUrlOf([{ category: "Deploy", outputVariables: { url: value } }])).toBeNull();
    expect(environmentUrlOf([{ category: "Deploy", outputVariables: ["https://a.example.com"] }])).toBeNull();
    expect(environmentUrlOf([{ category: "Deploy", outputVariables: null }])).toBeNull();
    expect(environmentUrlOf([])).toBeNull();
  });
});
