// Gantt rows for one execution: each stage, then its action attempts and rule evaluations, placed
// as fractions of the execution's span so the chart is plain CSS (left/width percentages).

export interface TimelineSpanInput {
  stageName: string;
  name: string;
  status: string;
  startTime: Date | string | null;
  endTime: Date | string | null;
  errorMessage?: string | null;
  summary?: string | null;
}

export interface TimelineRow {
  kind: "stage" | "action" | "rule";
  stageName: string;
  label: string;
  status: string;
  attempt: number;
  offset: number;
  width: number;
  durationMs: number | null;
  errorMessage: string | null;
  summary: string | null;
}

export interface TimelineInput {
  start: Date | string;
  /** Null while the execution is still running: the chart then ends at `now`. */
  end: Date | string | null;
  now: Date;
  stageOrder: readonly string[];
  stages: readonly TimelineSpanInput[];
  actions: readonly TimelineSpanInput[];
  rules: readonly TimelineSpanInput[];
}

const ms = (value: Date | string | null | undefined) => (value ? new Date(value).getTime() : null);
const clamp = (value: number) => Math.min(1, Math.max(0, value));

export function buildTimeline(input: TimelineInput): { totalMs: number; rows: TimelineRow[] } {
  const start = ms(input.start) ?? input.now.getTime();
  const end = Math.max(start, ms(input.end) ?? input.now.getTime());
  const total = Math.max(1, end - start);
  const place = (span: TimelineSpanInput) => {
    const from = ms(span.startTime);
    const to = ms(span.endTime) ?? (from === null ? null : end);
    if (from === null || to === null) return { offset: 0, width: 0, durationMs: null };
    const offset = clamp((from - start) / total);
    return { offset, width: Math.max(0.004, clamp((to - start) / total) - offset), durationMs: Math.max(0, to - from) };
  };
  const byStart = (a: TimelineSpanInput, b: TimelineSpanInput) =>
    (ms(a.startTime) ?? Infinity) - (ms(b.startTime) ?? Infinity);
  const known = new Set(input.stageOrder);
  const extra = [...new Set([...input.stages, ...input.actions].map((s) => s.stageName).filter((n) => !known.has(n)))];
  const rows: TimelineRow[] = [];
  for (const stageName of [...input.stageOrder, ...extra]) {
    const stage = input.stages.find((s) => s.stageName === stageName);
    const actions = input.actions.filter((a) => a.stageName === stageName).sort(byStart);
    const rules = input.rules.filter((r) => r.stageName === stageName).sort(byStart);
    if (!stage && actions.length === 0 && rules.length === 0) continue;
    if (stage)
      rows.push({
        kind: "stage",
        stageName,
        label: stageName,
        status: stage.status,
        attempt: 1,
        ...place(stage),
        errorMessage: null,
        summary: null,
      });
    const attempts = new Map<string, number>();
    for (const action of actions) {
      const attempt = (attempts.get(action.name) ?? 0) + 1;
      attempts.set(action.name, attempt);
      rows.push({
        kind: "action",
        stageName,
        label: action.name,
        status: action.status,
        attempt,
        ...place(action),
        errorMessage: action.errorMessage ?? null,
        summary: action.summary ?? null,
      });
    }
    for (const rule of rules) {
      rows.push({
        kind: "rule",
        stageName,
        label: rule.name,
        status: rule.status,
        attempt: 1,
        ...place(rule),
        errorMessage: rule.errorMessage ?? null,
        summary: rule.summary ?? null,
      });
    }
  }
  return { totalMs: end - start, rows };
}
