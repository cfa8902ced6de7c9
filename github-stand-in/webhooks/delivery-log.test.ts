import { describe, expect, it } from "vitest";
import type { NewDelivery } from "./delivery-log";
import { DeliveryLog, MAX_RECORDS, RETENTION_MS, cursorOf, parseCursor } from "./delivery-log";

const NOW = Date.parse("2026-03-01T12:00:00Z");

function delivery(appId: number, statusCode: number, at = NOW): NewDelivery {
  return {
    guid: `guid-${appId}-${statusCode}`,
    appId,
    deliveredAt: new Date(at).toISOString(),
    redelivery: false,
    duration: 0.01,
    status: statusCode === 202 ? "OK" : `Invalid HTTP Response: ${statusCode}`,
    statusCode,
    event: "push",
    action: null,
    installationId: 1,
    repositoryId: 2,
    url: "http://127.0.0.1:1/hook",
    request: { headers: {}, payload: {} },
    response: { headers: null, payload: null },
  };
}

describe("delivery log", () => {
  it("numbers attempts across Apps, lists one App's newest first and pages from a cursor", () => {
    const log = new DeliveryLog();
    const a1 = log.add(delivery(1, 202), NOW);
    const b1 = log.add(delivery(2, 202), NOW);
    const a2 = log.add(delivery(1, 503), NOW);
    const a3 = log.add(delivery(1, 302), NOW);
    expect(b1.id).toBe(a1.id + 1);
    expect(log.list(1).map((d) => d.id)).toEqual([a3.id, a2.id, a1.id]);
    expect(log.byId(2, a1.id)).toBeUndefined();

    const first = log.page(1, { start: undefined, perPage: 2, filter: null });
    expect(first.items.map((d) => d.id)).toEqual([a3.id, a2.id]);
    expect(first.next).toBe(a1.id);
    const second = log.page(1, { start: parseCursor(cursorOf(first.next ?? 0)), perPage: 2, filter: null });
    expect(second).toEqual({ items: [expect.objectContaining({ id: a1.id })], next: null });

    // GitHub's classes: 200-399 succeeded, 400-599 failed.
    expect(log.page(1, { start: undefined, perPage: 10, filter: "success" }).items.map((d) => d.id)).toEqual([
      a3.id,
      a1.id,
    ]);
    expect(log.page(1, { start: undefined, perPage: 10, filter: "failure" }).items.map((d) => d.id)).toEqual([a2.id]);
  });

  it("reads only its own cursors", () => {
    expect(parseCursor("v1_12000000001")).toBe(12000000001);
    expect(parseCursor("12000000001")).toBeUndefined();
    expect(parseCursor("v1_")).toBeUndefined();
    expect(parseCursor("v2_5")).toBeUndefined();
  });

  it("forgets deliveries older than GitHub keeps, and the oldest beyond its size", () => {
    const log = new DeliveryLog();
    log.add(delivery(1, 202, NOW - RETENTION_MS - 1_000), NOW - RETENTION_MS - 1_000);
    const kept = log.add(delivery(1, 503, NOW - 1_000), NOW - 1_000);
    log.add(delivery(1, 202, NOW), NOW);
    expect(log.list(1).map((d) => d.id)).toEqual([kept.id + 1, kept.id]);

    const full = new DeliveryLog();
    const firstId = full.add(delivery(1, 202), NOW).id;
    for (let i = 0; i < MAX_RECORDS; i++) full.add(delivery(1, 202), NOW);
    const listed = full.list(1);
    expect(listed).toHaveLength(MAX_RECORDS);
    expect(listed.at(-1)?.id).toBe(firstId + 1);
  });
});
