import { formatDuration } from "@/lib/format/duration";
import { MUTED } from "@/components/ui/styles";

// The pipeline page's sparkline: its last 30 finished executions' durations (oldest left, failures red) and their
// success rate, as a small server-rendered SVG with the numbers in words beside it.

export type SparkPoint = { durationMs: number; succeeded: boolean };

export function DurationSparkline({ points, href }: Readonly<{ points: SparkPoint[]; href: string }>) {
  if (points.length === 0) return null;
  const width = 120;
  const height = 24;
  const max = Math.max(1, ...points.map((p) => p.durationMs));
  const step = width / Math.max(1, points.length);
  const ok = points.filter((p) => p.succeeded).length;
  const rate = Math.round((ok / points.length) * 100);
  const last = points[points.length - 1]!;
  return (
    <a href={href} className="inline-flex items-center gap-2 text-xs" data-testid="pipeline-sparkline">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} aria-hidden="true">
        {points.map((p, i) => {
          const h = Math.max(1, (p.durationMs / max) * height);
          return (
            <rect
              key={i}
              x={i * step}
              y={height - h}
              width={Math.max(1, step - 1)}
              height={h}
              className={p.succeeded ? "fill-sky-600 dark:fill-sky-400" : "fill-red-600 dark:fill-red-400"}
            />
          );
        })}
      </svg>
      <span className={MUTED}>
        {rate}% of the last {points.length} succeeded · latest {formatDuration(last.durationMs)} · insight
      </span>
    </a>
  );
}
