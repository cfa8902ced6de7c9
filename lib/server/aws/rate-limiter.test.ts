import { describe, expect, it } from "vitest";
import { TokenBucket } from "./rate-limiter";

function clock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: (ms: number) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
    advance: (ms: number) => (t += ms),
    sleeps,
  };
}

describe("TokenBucket", () => {
  it("spends the burst at once, then paces requests at the rate", async () => {
    const c = clock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 2, now: c.now, sleep: c.sleep });
    for (let i = 0; i < 12; i++) await bucket.take();
    // 2 from the burst, 10 more at 10/s: one second of waiting in total.
    expect(c.now()).toBeCloseTo(1_000, 0);
  });

  it("answers whether a token is available without taking it, and stays unavailable while in debt", () => {
    const c = clock();
    const share = new TokenBucket({ ratePerSecond: 1, burst: 2, now: c.now, sleep: c.sleep });
    expect(share.available()).toBe(true);
    expect(share.available()).toBe(true);
    // A step that made five requests: 2 - 5 = -3 tokens, so four seconds until one is available again.
    share.spend(5);
    expect(share.available()).toBe(false);
    c.advance(3_500);
    expect(share.available()).toBe(false);
    c.advance(600);
    expect(share.available()).toBe(true);
  });

  it("halves the rate on throttling and adds it back step by step on success", () => {
    const c = clock();
    const bucket = new TokenBucket({ ratePerSecond: 8, now: c.now, sleep: c.sleep });
    bucket.onThrottle();
    expect(bucket.rate).toBe(4);
    bucket.onThrottle();
    expect(bucket.rate).toBe(2);
    for (let i = 0; i < 100; i++) bucket.onSuccess();
    expect(bucket.rate).toBe(8);
    expect(bucket.throttles).toBe(2);
  });

  it("never drops below its floor", () => {
    const bucket = new TokenBucket({ ratePerSecond: 1, minRate: 0.5 });
    for (let i = 0; i < 10; i++) bucket.onThrottle();
    expect(bucket.rate).toBe(0.5);
  });

  it("empties the saved-up tokens when throttled, so the next request waits", async () => {
    const c = clock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 5, now: c.now, sleep: c.sleep });
    bucket.onThrottle();
    await bucket.take();
    expect(c.sleeps.length).toBe(1);
    expect(c.sleeps[0]).toBeCloseTo(200, 0);
  });
});
