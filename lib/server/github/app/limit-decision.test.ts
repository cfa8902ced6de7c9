import { describe, expect, it } from "vitest";
import { decideOnLimit, INTERACTIVE_MAX_WAIT_S, MAX_RETRIES } from "./limit-decision";

describe("what a client does when GitHub says it is over a limit", () => {
  it("waits out a secondary limit's retry-after and retries, a bounded number of times", () => {
    for (let retryCount = 0; retryCount < MAX_RETRIES; retryCount++)
      expect(decideOnLimit({ limit: "secondary", retryAfterS: 7, retryCount, mode: "background" })).toEqual({
        kind: "wait",
        seconds: 7,
      });
    expect(
      decideOnLimit({ limit: "secondary", retryAfterS: 7, retryCount: MAX_RETRIES, mode: "background" }),
    ).toMatchObject({
      kind: "fail",
    });
  });

  it("does not keep a person waiting on a long secondary limit", () => {
    const long = INTERACTIVE_MAX_WAIT_S + 1;
    expect(decideOnLimit({ limit: "secondary", retryAfterS: 2, retryCount: 0, mode: "interactive" })).toEqual({
      kind: "wait",
      seconds: 2,
    });
    expect(decideOnLimit({ limit: "secondary", retryAfterS: long, retryCount: 0, mode: "interactive" })).toMatchObject({
      kind: "fail",
    });
    expect(decideOnLimit({ limit: "secondary", retryAfterS: long, retryCount: 0, mode: "background" })).toEqual({
      kind: "wait",
      seconds: long,
    });
  });

  it("waits for the primary limit's reset only in background work, and only once", () => {
    expect(decideOnLimit({ limit: "primary", retryAfterS: 1800, retryCount: 0, mode: "background" })).toEqual({
      kind: "wait",
      seconds: 1800,
    });
    expect(decideOnLimit({ limit: "primary", retryAfterS: 1800, retryCount: 1, mode: "background" })).toMatchObject({
      kind: "fail",
    });
    expect(decideOnLimit({ limit: "primary", retryAfterS: 3, retryCount: 0, mode: "interactive" })).toMatchObject({
      kind: "fail",
    });
  });

  it("never waits a negative or fractional time", () => {
    expect(decideOnLimit({ limit: "secondary", retryAfterS: -4, retryCount: 0, mode: "background" })).toEqual({
      kind: "wait",
      seconds: 0,
    });
    expect(decideOnLimit({ limit: "secondary", retryAfterS: 1.2, retryCount: 0, mode: "background" })).toEqual({
      kind: "wait",
      seconds: 2,
    });
  });
});
