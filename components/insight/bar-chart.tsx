import { MUTED } from "@/components/ui/styles";

// A server-rendered SVG bar chart, with the same numbers as a table beneath it (for screen readers and copying).

export function BarChart({
  title,
  points,
  unit,
}: Readonly<{ title: string; points: { label: string; value: number }[]; unit: string }>) {
  const width = 640;
  const height = 120;
  const max = Math.max(1, ...points.map((p) => p.value));
  const step = width / Math.max(1, points.length);
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
        {points.map((p, i) => {
          const h = (p.value / max) * (height - 4);
          return (
            <rect
              key={p.label}
              x={i * step + 1}
              y={height - h}
              width={Math.max(1, step - 2)}
              height={h}
              className="fill-sky-600 dark:fill-sky-400"
            >
              <title>{`${p.label}: ${p.value} ${unit}`}</title>
            </rect>
          );
        })}
        <text x={0} y={height + 12} className="fill-zinc-600 text-[10px] dark:fill-zinc-400">
          {points[0]?.label}
        </text>
        <text x={width} y={height + 12} textAnchor="end" className="fill-zinc-600 text-[10px] dark:fill-zinc-400">
          {points[points.length - 1]?.label}
        </text>
      </svg>
      <details>
        <summary className={`cursor-pointer text-xs ${MUTED}`}>{title} as a table</summary>
        <table className="mt-1 text-xs">
          <thead>
            <tr>
              <th className="pr-4 text-left">Day (UTC)</th>
              <th className="text-right">{unit}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.label}>
                <td className="pr-4 font-mono">{p.label}</td>
                <td className="text-right">{p.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
