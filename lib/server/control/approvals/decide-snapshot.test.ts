import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Decide from "./decide";
import {
  createApprovalPipeline,
  createControlFixture,
  nextApproval,
  type ControlFixture,
} from "../testing/control-fixture";

// A person clicking approve twice at once: the second request must read the approval, its decision and its
// votes as of one moment. Here the first click's decision (its vote and the decision row, committed together)
// lands between the second request's read of the approval and its read of the votes; the second request must
// then be told who decided, never "you already approved" from a vote seen without its decision.
let cf: ControlFixture;
let decide: typeof Decide;
const PIPELINE = "web-app-snapshot";
let pipelineId = "";

beforeAll(async () => {
  cf = await createControlFixture({ pipelines: 4, logins: ["ada"] });
  decide = await import("./decide");
  pipelineId = await createApprovalPipeline(cf, PIPELINE, "web-app-staging");
});
afterAll(async () => cf?.close());

const db = () => cf.f.database.db;

describe("a decision taken while another request reads the approval", () => {
  it("is seen whole: the later request is told who decided first", async () => {
    const approval = await nextApproval(cf, PIPELINE, pipelineId, new Set());
    const scope = { pipelineId, executionId: approval.executionId ?? "", stageName: approval.stageName };
    await db().executionCommits.create({ data: { ...scope, commits: { v: 1, commits: [] } } });
    const ada = await db().user.findUniqueOrThrow({ where: { id: cf.users.ada } });
    let raced = false;
    // Before the request's first read of the votes, the other click's decision commits (on another connection).
    const racing = db().$extends({
      query: {
        approvalVote: {
          async findMany({ args, query }) {
            if (!raced) {
              raced = true;
              const who = { approvalId: approval.id, githubId: ada.githubId, login: "ada", decision: "approve" };
              await db().$transaction([
                db().approvalVote.create({ data: { ...who, comment: "" } }),
                db().approvalDecision.create({ data: { ...who, comment: "", state: "sent", sentAt: new Date() } }),
              ]);
            }
            return query(args);
          },
        },
      },
    }) as unknown as ReturnType<typeof db>;
    const before = await cf.awsCalls("PutApprovalResult");
    const refused: unknown = await decide
      .decideApproval(
        {
          viewer: await cf.viewer("ada"),
          requestId: "req-snapshot",
          approvalId: approval.id,
          decision: "approve",
          comment: "",
        },
        { db: racing },
      )
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(refused).toMatchObject({ code: "conflict" });
    expect((refused as Error).message).toMatch(/^Already approved by @ada at /);
    expect(raced).toBe(true);
    expect(await cf.awsCalls("PutApprovalResult")).toBe(before);
  });
});
