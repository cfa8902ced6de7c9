import { describe, expect, it } from "vitest";
import { timeLeft } from "./time-left";

const now = new Date("2026-12-01T12:00:00.000Z");
const after = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe("timeLeft", () => {
  it("words days and hours, hours and minutes, minutes, then minutes and seconds", () => {
    expect(timeLeft(after((6 * 24 + 23) * 3_600_000 + 59_000), now).text).toBe("6 days 23 hours left");
    expect(timeLeft(after(7 * 24 * 3_600_000), now).text).toBe("7 days left");
    expect(timeLeft(after(3 * 3_600_000 + 12 * 60_000 + 30_000), now).text).toBe("3 hours 12 minutes left");
    expect(timeLeft(after(3_600_000), now).text).toBe("1 hour left");
    expect(timeLeft(after(42 * 60_000 + 59_000), now).text).toBe("42 minutes left");
    expect(timeLeft(after(4 * 60_000 + 5_400), now).text).toBe("4 minutes 5 seconds left");
    expect(timeLeft(after(1_500), now).text).toBe("1 second left");
  });

  it("says expired at and after the expiry, and admits when none is known", () => {
    expect(timeLeft(after(0), now)).toEqual({ kind: "expired", text: "Expired" });
    expect(timeLeft(after(-60_000), now).kind).toBe("expired");
    expect(timeLeft(null, now).kind).toBe("unknown");
    expect(timeLeft("not a date", now).kind).toBe("unknown");
  });

  it("is urgent under an hour, and ticks when the text would next change", () => {
    const long = timeLeft(after(2 * 3_600_000 + 30_000), now);
    expect(long).toMatchObject({ kind: "left", urgent: false, tickMs: 30_000 });
    const short = timeLeft(after(5 * 60_000 + 250), now);
    expect(short).toMatchObject({ kind: "left", urgent: true, tickMs: 250 });
    // Once the tick has passed, the text is a whole unit shorter.
    const later = new Date(now.getTime() + 250);
    expect(timeLeft(after(5 * 60_000 + 250), later).text).toBe("5 minutes left");
  });
});
