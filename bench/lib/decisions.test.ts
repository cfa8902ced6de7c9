import { describe, expect, it } from "vitest";
import { namesLogin, tallyContention, type DecisionAnswer } from "./decisions";

const answer = (login: string, status: number, message: string, result: string | null = null): DecisionAnswer => ({
  login,
  status,
  result,
  message,
  ms: 1,
});

describe("tallyContention", () => {
  it("counts the one sent decision and the losers told who went first", () => {
    const tally = tallyContention([
      answer("ann", 409, "Already approved by @bob at 2026-12-02 12:00 UTC"),
      answer("bob", 200, "Approved in AWS; the pipeline continues.", "sent"),
      answer("bob", 409, "Already approved by @bob at 2026-12-02 12:00 UTC"),
      answer("cy", 409, "This approval no longer exists."),
    ]);
    expect(tally).toMatchObject({ winners: 1, losers: 3, losersToldWho: 2, serverErrors: [], unexpected: [] });
  });

  it("credits nobody when two decisions were sent, and keeps 5xx and other refusals apart", () => {
    const tally = tallyContention([
      answer("ann", 200, "Approved in AWS", "sent"),
      answer("bob", 200, "Approved in AWS", "sent"),
      answer("cy", 409, "Already approved by @ann at 2026-12-02 12:00 UTC"),
      answer("dee", 503, "GitHub could not be reached"),
      answer("eve", 429, "Too many commands"),
    ]);
    expect(tally.winners).toBe(2);
    expect(tally.losersToldWho).toBe(0);
    expect(tally.serverErrors.map((a) => a.login)).toEqual(["dee"]);
    expect(tally.unexpected.map((a) => a.login)).toEqual(["eve"]);
  });

  it("does not count a recorded vote as the decision", () => {
    const tally = tallyContention([answer("ann", 200, "Your approval is recorded; 1 more needed.", "recorded")]);
    expect(tally).toMatchObject({ winners: 0, losers: 1, losersToldWho: 0 });
  });
});

describe("namesLogin", () => {
  it("matches the whole login only, in any case", () => {
    expect(namesLogin("Already approved by @Bench-1 at noon", "bench-1")).toBe(true);
    expect(namesLogin("Already approved by @bench-10 at noon", "bench-1")).toBe(false);
    expect(namesLogin("Already approved by bench-1", "bench-1")).toBe(false);
    expect(namesLogin("@a.b (A B)", "a.b")).toBe(true);
    expect(namesLogin("@axb", "a.b")).toBe(false);
  });
});
