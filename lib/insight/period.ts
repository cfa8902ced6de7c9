// Insight periods (pure): the last 7, 30 or 90 UTC days up to and including today, or a custom range of whole UTC
// days; each is compared with the period of the same length just before it.

export type PeriodChoice = { key: "7" | "30" | "90" | "custom"; from: Date; to: Date };
const DAY = 86_400_000;
const startOfUtcDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

export function choosePeriod(input: { period?: string; from?: string; to?: string }, now: Date): PeriodChoice {
  const end = new Date(startOfUtcDay(now).getTime() + DAY);
  if (input.period === "custom" && input.from && input.to) {
    const from = new Date(`${input.from}T00:00:00Z`);
    const to = new Date(new Date(`${input.to}T00:00:00Z`).getTime() + DAY);
    const valid =
      !isNaN(from.getTime()) && !isNaN(to.getTime()) && from < to && to.getTime() - from.getTime() <= 366 * DAY;
    if (valid) return { key: "custom", from, to };
  }
  const key = input.period === "7" || input.period === "90" ? input.period : "30";
  return { key, from: new Date(end.getTime() - Number(key) * DAY), to: end };
}

export function previousPeriod(p: { from: Date; to: Date }): { from: Date; to: Date } {
  const length = p.to.getTime() - p.from.getTime();
  return { from: new Date(p.from.getTime() - length), to: p.from };
}

export const isoDay = (d: Date) => d.toISOString().slice(0, 10);
