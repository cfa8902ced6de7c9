import "server-only";
import type { FeedTx } from "@/lib/server/feed/consumer";
import { recordGateEvent } from "@/lib/server/gate/record-events";
import { handleCheckRun } from "./handle-check-run";
import { handlePush } from "./handle-push";

// What each webhook event does, run inside the transaction that marks its delivery processed (so the effect and
// the mark commit together, and a crash between them leaves the delivery pending to be processed again). Events
// without a handler are kept as "ignored": the App subscribes to more events than Stageboard acts on. The release
// gate (lib/server/gate/) reads pushes, check suites, check runs and statuses beside their own handlers.

export type DeliveryRow = { id: string; event: string; action: string | null; payload: unknown; attempts: number };

export type HandlerOutcome =
  { kind: "done"; syncsRequested?: boolean; gateDue?: boolean } | { kind: "ignored"; reason: string };

/** What a handler may need to know of this Stageboard: its own App, whose reports the gate does not count. */
export type HandlerContext = { ownAppId: number | null };

const GATE_EVENTS: ReadonlySet<string> = new Set(["push", "check_suite", "check_run", "status"]);

type Handler = (tx: FeedTx, delivery: DeliveryRow, now: Date) => Promise<HandlerOutcome>;

const HANDLERS: Record<string, Handler> = {
  ping: () => Promise.resolve({ kind: "done" }),
  check_run: (tx, delivery) => handleCheckRun(tx, delivery),
  push: async (tx, delivery, now) => {
    const outcome = await handlePush(tx, delivery.payload, now);
    return outcome.kind === "synced" ? { kind: "done", syncsRequested: true } : outcome;
  },
};

export async function handleDelivery(
  tx: FeedTx,
  delivery: DeliveryRow,
  now: Date,
  context: HandlerContext,
): Promise<HandlerOutcome> {
  const gate = GATE_EVENTS.has(delivery.event) ? await recordGateEvent(tx, delivery, now, context.ownAppId) : null;
  const handler = HANDLERS[delivery.event];
  const outcome: HandlerOutcome = handler
    ? await handler(tx, delivery, now)
    : { kind: "ignored", reason: `no handler for ${delivery.event}` };
  if (!gate || gate.waiting + gate.due === 0) return outcome;
  return { ...(outcome.kind === "done" ? outcome : { kind: "done" }), gateDue: true };
}
