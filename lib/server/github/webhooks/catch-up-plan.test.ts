import { describe, expect, it } from "vitest";
import { deliveriesToRedeliver, nextCursor, type LoggedDelivery } from "./catch-up-plan";

const at = (minute: number) => new Date(Date.UTC(2026, 11, 3, 8, minute));
const entry = (id: number, guid: string, statusCode: number, redelivery = false): LoggedDelivery => ({
  id,
  guid,
  deliveredAt: at(id),
  redelivery,
  statusCode,
});

describe("deliveriesToRedeliver", () => {
  it("asks again for deliveries that failed and that Stageboard did not store, oldest first", () => {
    const log = [entry(5, "e", 503), entry(4, "d", 0), entry(3, "c", 202), entry(2, "b", 502), entry(1, "a", 200)];
    expect(deliveriesToRedeliver(log, new Set(["b"]))).toEqual([4, 5]);
  });

  it("skips a guid whose redelivery succeeded, and redelivers the newest attempt of the others", () => {
    const log = [entry(9, "a", 202, true), entry(8, "b", 503, true), entry(2, "b", 0), entry(1, "a", 0)];
    expect(deliveriesToRedeliver(log, new Set())).toEqual([8]);
  });

  it("gives up on a guid redelivered three times without success", () => {
    const tries = [entry(4, "a", 400, true), entry(3, "a", 400, true), entry(2, "a", 400, true), entry(1, "a", 0)];
    expect(deliveriesToRedeliver(tries, new Set())).toEqual([]);
    expect(deliveriesToRedeliver(tries.slice(1), new Set())).toEqual([3]);
  });
});

describe("nextCursor", () => {
  it("reads the next page's cursor from GitHub's Link header", () => {
    const link =
      '<https://api.github.com/app/hook/deliveries?per_page=100&cursor=v1_12077215967>; rel="next", ' +
      '<https://api.github.com/app/hook/deliveries?per_page=100>; rel="first"';
    expect(nextCursor(link)).toBe("v1_12077215967");
    expect(nextCursor('<https://api.github.com/app/hook/deliveries?per_page=100>; rel="first"')).toBeNull();
    expect(nextCursor(undefined)).toBeNull();
  });
});
