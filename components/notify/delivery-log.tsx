"use client";

import { MUTED } from "@/components/ui/styles";
import { formatTimestamp } from "@/lib/format/time";
import type { DeliveryView } from "@/lib/notify/schemas";

const SMALL_BUTTON =
  "rounded border border-zinc-300 px-2 py-0.5 text-xs hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-sky-600";

function outcome(d: DeliveryView): string {
  if (d.status === "delivered") return `Delivered${d.lastStatusCode ? ` (HTTP ${d.lastStatusCode})` : ""}`;
  const last = d.lastError ?? (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : null);
  if (d.status === "failed") return `Failed${last ? `: ${last}` : ""}`;
  if (!d.attempts) return "Queued";
  return `Retrying${d.nextAttemptAt ? ` at ${formatTimestamp(new Date(d.nextAttemptAt))}` : ""}${last ? ` (last: ${last})` : ""}`;
}

/** A webhook's recent deliveries, newest first; a finished one can be sent again. */
export function DeliveryLog({
  deliveries,
  onRedeliver,
  redelivering,
}: Readonly<{ deliveries: DeliveryView[]; onRedeliver: (id: string) => void; redelivering: string | null }>) {
  if (!deliveries.length) return <p className={`text-sm ${MUTED}`}>No deliveries yet.</p>;
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">Recent deliveries</caption>
      <thead className={`text-xs ${MUTED}`}>
        <tr>
          <th className="py-1 font-medium">Event</th>
          <th className="py-1 font-medium">Time</th>
          <th className="py-1 font-medium">Attempts</th>
          <th className="py-1 font-medium">Outcome</th>
          <th className="py-1" />
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.id} className="border-t border-zinc-100 align-top dark:border-zinc-800" data-testid="delivery-row">
            <td className="py-1 pr-2 break-words">{d.title}</td>
            <td className="py-1 pr-2 whitespace-nowrap">
              <time dateTime={d.createdAt}>{formatTimestamp(new Date(d.createdAt))}</time>
            </td>
            <td className="py-1 pr-2">{d.attempts}</td>
            <td className={`py-1 pr-2 break-words ${d.status === "failed" ? "text-red-700 dark:text-red-300" : ""}`}>
              {outcome(d)}
            </td>
            <td className="py-1 text-right">
              {d.status !== "pending" && (
                <button
                  type="button"
                  className={SMALL_BUTTON}
                  disabled={redelivering === d.id}
                  onClick={() => onRedeliver(d.id)}
                >
                  {redelivering === d.id ? "Sending…" : "Redeliver"}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
