// A change-feed reader as a child process, for the feed figures of bench:sync. Environment: DATABASE_URL,
// FEED_MODE, FEED_LOG (a file this process appends to, one line per change).
// - FEED_MODE=consumer: a durable consumer (consumeChanges, named FEED_CONSUMER) that appends the id of
//   every change it handles to FEED_LOG inside its handler, so the line is written before the transaction
//   that advances the cursor commits. The benchmark SIGKILLs it at random moments: a line without its
//   commit is a duplicate later (the change is handled again), a change never written is a gap.
// - FEED_MODE=tail: a subscriber of the process-wide tail (subscribeToFeed) that appends
//   `<id> <lag ms>` for every change, lag being arrival here minus the row's createdAt (the trigger's
//   clock_timestamp(), at most the commit time, so the lag is if anything overstated).
import { appendFileSync } from "node:fs";
import { createDb } from "@/lib/server/db/client";
import { consumeChanges } from "@/lib/server/feed/consumer";
import { subscribeToFeed } from "@/lib/server/feed/tail";

const url = process.env.DATABASE_URL;
const log = process.env.FEED_LOG;
if (!url || !log) {
  console.error("DATABASE_URL and FEED_LOG are required");
  process.exit(2);
}

if (process.env.FEED_MODE === "tail") {
  subscribeToFeed((changes) => {
    const at = Date.now();
    appendFileSync(log, changes.map((c) => `${c.cursor.id} ${at - c.createdAt.getTime()}\n`).join(""));
  });
} else {
  const db = createDb(url, 2);
  const name = process.env.FEED_CONSUMER ?? "bench-feed";
  void (async () => {
    for (;;) {
      const result = await consumeChanges(
        db,
        name,
        (_tx, changes) => {
          appendFileSync(log, changes.map((c) => `${c.cursor.id}\n`).join(""));
          return Promise.resolve();
        },
        // From the oldest row: the backfill's changes before this consumer first ran count too.
        { limit: 200, from: "start" },
      );
      // Polling keeps this reader independent of LISTEN; a short pause only when there was nothing new.
      if (result.kind === "busy" || result.count === 0) await new Promise((r) => setTimeout(r, 25));
    }
  })().catch((error: unknown) => {
    console.error("feed consumer failed:", error);
    process.exit(1);
  });
}
process.stdout.write("ready\n");
