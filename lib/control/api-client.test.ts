import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClientError, fetchApprovalCount, postCommand, postDecision } from "./api-client";

type Call = { url: string; init: RequestInit };

function stubFetch(status: number, body: unknown): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal("fetch", (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  });
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe("control api-client", () => {
  it("posts a decision as JSON from this origin and returns the outcome", async () => {
    const outcome = { auditId: "7", awsRequestId: "req-1", result: "sent", message: "Approved" };
    const calls = stubFetch(200, { data: outcome });
    await expect(postDecision("ap 1", { decision: "approve", comment: "ship it" })).resolves.toEqual(outcome);
    expect(calls[0]?.url).toBe("/api/approvals/ap%201/decision");
    expect(calls[0]?.init).toMatchObject({ method: "POST", credentials: "same-origin", cache: "no-store" });
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({ decision: "approve", comment: "ship it" });
    expect((calls[0]?.init.headers as Record<string, string>)["content-type"]).toBe("application/json");
  });

  it("throws the route's refusal with its code and words (who decided first, why not)", async () => {
    stubFetch(409, { error: { code: "conflict", message: "Already approved by @grace at 01:02" } });
    const error = await postDecision("a", { decision: "approve", comment: "" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiClientError);
    expect(error).toMatchObject({ status: 409, code: "conflict", message: "Already approved by @grace at 01:02" });
    stubFetch(502, "not json at all");
    await expect(
      postCommand("p1", { kind: "enable-transition", stageName: "Deploy" }).catch((e: unknown) => e),
    ).resolves.toMatchObject({ status: 502, code: "unknown", message: "Request failed (502)" });
  });

  it("reads only the counts for the header badge", async () => {
    const calls = stubFetch(200, { data: [], meta: { pending: 3, decidable: 1 } });
    await expect(fetchApprovalCount()).resolves.toEqual({ pending: 3, decidable: 1 });
    expect(calls[0]?.url).toBe("/api/approvals?count=1");
  });
});
