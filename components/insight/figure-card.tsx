import { MUTED, CARD } from "@/components/ui/styles";

// One figure: its value now and in the period before, the definition it uses, and what Stageboard cannot see.

export function FigureCard({
  id,
  name,
  value,
  previous,
  n,
  definition,
  blind,
}: Readonly<{
  id: string;
  name: string;
  value: string;
  previous: string;
  n: string;
  definition: string;
  blind: string;
}>) {
  return (
    <section aria-labelledby={`figure-${id}`} className={`space-y-1 p-4 ${CARD}`} data-testid={`figure-${id}`}>
      <h3 id={`figure-${id}`} className="text-sm font-medium">
        {name}
      </h3>
      <p className="text-2xl font-semibold tabular-nums" data-testid={`figure-${id}-value`}>
        {value}
      </p>
      <p className={`text-xs ${MUTED}`}>
        {n} · previous period: <span data-testid={`figure-${id}-previous`}>{previous}</span>
      </p>
      <p className="text-xs">{definition}</p>
      <p className={`text-xs ${MUTED}`}>Cannot see: {blind}</p>
    </section>
  );
}
