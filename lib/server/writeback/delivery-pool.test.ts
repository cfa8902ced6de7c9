import { describe, expect, it } from "vitest";
import { runPool, Slots } from "@/lib/server/writeback/delivery-pool";

/** A promise resolved from outside, to hold a job in flight until the test lets it go. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("the delivery pool", () => {
  it("runs every due job, never more than its width at once, and ends when none is due and none in flight", async () => {
    const due = Array.from({ length: 23 }, (_, i) => i);
    let running = 0;
    let most = 0;
    const ran: number[] = [];
    const count = await runPool({
      width: 4,
      minTake: 1,
      take: (n) => Promise.resolve(due.splice(0, n)),
      run: async (job) => {
        running++;
        most = Math.max(most, running);
        await tick();
        ran.push(job);
        running--;
      },
    });
    expect(count).toBe(23);
    expect([...ran].sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(most).toBe(4);
  });

  it("takes a job made due by one just finished while a slow one is still in flight: no rounds", async () => {
    const slow = gate();
    const order: string[] = [];
    let next: string[] = ["slow", "first"];
    const pool = runPool({
      width: 8,
      minTake: 1,
      take: (n) => {
        const jobs = next.slice(0, n);
        next = next.slice(n);
        return Promise.resolve(jobs);
      },
      run: async (job) => {
        if (job === "slow") await slow.opened;
        order.push(job);
        // The first job's successor (same commit and pipeline) becomes due only once it is recorded.
        if (job === "first") next.push("second");
      },
    });
    while (!order.includes("second")) await tick();
    expect(order).toEqual(["first", "second"]);
    slow.open();
    expect(await pool).toBe(3);
    expect(order).toEqual(["first", "second", "slow"]);
  });

  it("takes again when nudged, even with fewer free slots than it waits for otherwise", async () => {
    const hold = gate();
    let nudge = () => {};
    const takes: number[] = [];
    let next = ["held-1", "held-2", "held-3"];
    const ran: string[] = [];
    const pool = runPool({
      width: 4,
      minTake: 4,
      nudged: () => new Promise<void>((resolve) => (nudge = resolve)),
      take: (n) => {
        takes.push(n);
        const jobs = next.slice(0, n);
        next = next.slice(n);
        return Promise.resolve(jobs);
      },
      run: async (job) => {
        if (job.startsWith("held")) await hold.opened;
        ran.push(job);
      },
    });
    while (takes.length < 1) await tick();
    next = ["queued"];
    nudge();
    while (!ran.includes("queued")) await tick();
    expect(takes).toEqual([4, 1]);
    expect(ran).toEqual(["queued"]);
    hold.open();
    expect(await pool).toBe(4);
  });

  it("stops taking when asked and lets the jobs in flight finish", async () => {
    let stopping = false;
    const ran: number[] = [];
    let taken = 0;
    const count = await runPool({
      width: 2,
      minTake: 1,
      stopping: () => stopping,
      take: (n) => Promise.resolve(Array.from({ length: n }, () => taken++)),
      run: async (job) => {
        await tick();
        ran.push(job);
        if (job === 3) stopping = true;
      },
    });
    expect(ran).toContain(3);
    expect(count).toBe(ran.length);
    expect(taken).toBe(ran.length);
  });
});

describe("slots", () => {
  it("let at most their size hold at once, the rest in arrival order", async () => {
    const slots = new Slots(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const all = gates.map((g, i) =>
      slots.use(async () => {
        started.push(i);
        await g.opened;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]!.open();
    while (started.length < 3) await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.open();
    gates[2]!.open();
    gates[3]!.open();
    await Promise.all(all);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it("free the slot when the holder throws", async () => {
    const slots = new Slots(1);
    await expect(slots.use(() => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
    expect(await slots.use(() => Promise.resolve("next"))).toBe("next");
  });
});
