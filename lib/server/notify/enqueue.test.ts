import { describe, expect, it } from "vitest";
import type { ChangeRow } from "@/lib/server/feed/read-changes";
import { deliveryEventOf } from "./enqueue";

const change = (
  entity: ChangeRow["entity"],
  before: string | null,
  after: string,
  extra: ChangeRow["after"] = {},
): ChangeRow => ({
  cursor: { txid: 1n, id: 1n },
  pipelineId: "p1",
  executionId: "e1",
  entity,
  name: entity === "approval" ? "Gate/Release" : null,
  before: before === null ? null : { status: before },
  after: { status: after, ...extra },
  origin: "live",
  createdAt: new Date("2026-12-01T12:00:00Z"),
});

describe("deliveryEventOf", () => {
  it("an approval becoming pending, approved or rejected is worth a notice", () => {
    expect(deliveryEventOf(change("approval", null, "Pending"))).toBe("approval.waiting");
    expect(deliveryEventOf(change("approval", "Pending", "Approved", { decidedBy: "ada" }))).toBe("approval.approved");
    expect(deliveryEventOf(change("approval", "Pending", "Rejected"))).toBe("approval.rejected");
  });

  it("an approval that expired is not: nobody decided it", () => {
    expect(deliveryEventOf(change("approval", "Pending", "Expired"))).toBeNull();
    expect(deliveryEventOf(change("approval", null, "Expired"))).toBeNull();
  });

  it("nothing for a status that did not change, nor for another entity's Pending or Rejected", () => {
    expect(deliveryEventOf(change("approval", "Rejected", "Rejected"))).toBeNull();
    expect(deliveryEventOf(change("action", "InProgress", "Failed"))).toBeNull();
    expect(deliveryEventOf(change("execution", "InProgress", "Failed"))).toBe("execution.failed");
  });
});
