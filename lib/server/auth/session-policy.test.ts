import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { absoluteEnd, judgeSession, type SessionLifetimes } from "./session-policy";

// The one decision both session paths (our loader and next-auth's adapter) apply, over arbitrary times.
const DAY_S = 86_400;
const lifetimes: SessionLifetimes = { slidingS: 7 * DAY_S, updateAgeS: DAY_S, absoluteS: 30 * DAY_S };
const ms = (days: number) => Math.round(days * DAY_S * 1000);

describe("judgeSession", () => {
  it("never lets a session live, or be extended, past its absolute end", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -60, max: 60, noNaN: true }),
        fc.double({ min: -60, max: 60, noNaN: true }),
        (createdDaysAgo, expiresInDays) => {
          const now = Date.UTC(2026, 11, 1);
          const session = { createdAt: new Date(now - ms(createdDaysAgo)), expires: new Date(now + ms(expiresInDays)) };
          const end = absoluteEnd(session.createdAt, lifetimes).getTime();
          const verdict = judgeSession(session, now, lifetimes);
          if (verdict.kind === "ended") {
            expect(end <= now || session.expires.getTime() < now).toBe(true);
            return;
          }
          expect(now).toBeLessThan(end);
          expect(session.expires.getTime()).toBeGreaterThanOrEqual(now);
          expect(verdict.expires.getTime()).toBeLessThanOrEqual(end);
          if (verdict.extendTo) {
            expect(verdict.extendTo.getTime()).toBeLessThanOrEqual(end);
            expect(verdict.extendTo.getTime()).toBeGreaterThan(now);
          }
        },
      ),
    );
  });

  it("extends at most once a day by the sliding 7 days, as next-auth does", () => {
    const now = Date.UTC(2026, 11, 1);
    const createdAt = new Date(now - ms(3));
    const justExtended = judgeSession({ createdAt, expires: new Date(now + ms(7) - 1000) }, now, lifetimes);
    expect(justExtended).toMatchObject({ kind: "valid", extendTo: null });
    const dayOld = judgeSession({ createdAt, expires: new Date(now + ms(6)) }, now, lifetimes);
    expect(dayOld).toMatchObject({ kind: "valid", extendTo: new Date(now + ms(7)) });
    expect(judgeSession({ createdAt: new Date(now - ms(30)), expires: new Date(now + ms(1)) }, now, lifetimes)).toEqual(
      {
        kind: "ended",
        reason: "absolute-lifetime",
      },
    );
  });
});
