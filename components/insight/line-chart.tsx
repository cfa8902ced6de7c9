import { formatDuration } from "@/lib/format/duration";
import { MUTED } from "@/components/ui/styles";

// A server-rendered SVG line chart of p50 and p90 durations per day, with its table.

type Point = { day: string; n: number; p50: number | null; p90: number | null };

function path(points: Point[], pick: (p: Point) => number | null, x: (i: number) => number, y: (v: number) => number) {
  let d = "";
  let pen = false;
  points.forEach((p, i) => {
    const v = pick(p);
    if (v === null) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
    pen = true;
  });
  return d.trim();
}

export function DurationTrend({ title, points }: Readonly<{ title: string; points: Point[] }>) {
  const width = 640;
  const height = 120;
  const max = Math.max(1, ...points.flatMap((p) => (p.p90 === null ? [] : [p.p90])));
  const x = (i: number) => (points.length <= 1 ? width / 2 : (i / (points.length - 1)) * width);
  const y = (v: number) => height - (v / max) * (height - 6);
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-medium">{title}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${height + 14}`}
        className="h-32 w-full"
        role="img"
        aria-label={`${title} (chart; the table below has the values)`}
      >
        <line x1={0} y1={height} x2={width} y2={height} className="stroke-zinc-300 dark:stroke-zinc-700" />
        <path
          d={path(points, (p) => p.p90, x, y)}
          fill="none"
          strokeWidth={2}
          strokeDasharray="4 3"
          className="stroke-amber-600 dark:stroke-amber-400"
        />
        <path
          d={path(points, (p) => p.p50, x, y)}
          fill="none"
          strokeWidth={2}
          className="stroke-sky-600 dark:stroke-sky-400"
        />
        <text x={0} y={10} className="fill-zinc-600 text-[10px] dark:fill-zinc-400">
          {formatDuration(max)}
        </text>
        <text x={0} y={height + 12} className="fill-zinc-600 text-[10px] dark:fill-zinc-400">
          {points[0]?.day}
        </text>
        <text x={width} y={height + 12} textAnchor="end" className="fill-zinc-600 text-[10px] dark:fill-zinc-400">
          {points[points.length - 1]?.day}
        </text>
      </svg>
      <p className={`text-xs ${MUTED}`}>
        Solid: p50 · dashed: p90, of successful executions (from the duration histograms, ≈ ±2 %).
      </p>
      <details>
        <summary className={`cursor-pointer text-xs ${MUTED}`}>{title} as a table</summary>
        <table className="mt-1 text-xs">
          <thead>
            <tr>
              <th className="pr-4 text-left">Day (UTC)</th>
              <th className="pr-4 text-right">Runs</th>
              <th className="pr-4 text-right">p50</th>
              <th className="text-right">p90</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.day}>
                <td className="pr-4 font-mono">{p.day}</td>
                <td className="pr-4 text-right">{p.n}</td>
                <td className="pr-4 text-right">{formatDuration(p.p50)}</td>
                <td className="text-right">{formatDuration(p.p90)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
