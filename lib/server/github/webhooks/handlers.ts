import "server-only";
import type { FeedTx } from "@/lib/server/feed/consumer";
import { handlePush } from "./handle-push";

// What each webhook event does, run inside the transaction that marks its delivery processed (so the effect and
// the mark commit together, and a crash between them leaves the delivery pending to be processed again). Events
// without a handler are kept as "ignored": the App subscribes to more events than Stageboard acts on.

export type DeliveryRow = { id: string; event: string; action: string | null; payload: unknown; attempts: number };

export type HandlerOutcome = { kind: "done"; syncsRequested?: boolean } | { kind: "ignored"; reason: string };

type Handler = (tx: FeedTx, delivery: DeliveryRow, now: Date) => Promise<HandlerOutcome>;

const HANDLERS: Record<string, Handler> = {
  ping: () => Promise.resolve({ kind: "done" }),
  push: async (tx, delivery, now) => {
    const outcome = await handlePush(tx, delivery.payload, now);
    return outcome.kind === "synced" ? { kind: "done", syncsRequested: true } : outcome;
  },
};

export async function handleDelivery(tx: FeedTx, delivery: DeliveryRow, now: Date): Promise<HandlerOutcome> {
  const handler = HANDLERS[delivery.event];
  if (!handler) return { kind: "ignored", reason: `no handler for ${delivery.event}` };
  return handler(tx, delivery, now);
}
