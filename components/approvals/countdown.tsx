"use client";

import { useEffect, useState } from "react";
import { formatTimestamp } from "@/lib/format/time";
import { timeLeft } from "@/lib/control/time-left";

/**
 * Time left before the approval expires, re-rendered only when its words change (every minute, every
 * second in the last ten minutes). `serverNow` keeps the first render equal to the server's HTML.
 */
export function Countdown({ expiresAt, serverNow }: Readonly<{ expiresAt: string | null; serverNow?: string }>) {
  const [now, setNow] = useState(() => (serverNow ? new Date(serverNow) : new Date()));
  const left = timeLeft(expiresAt, now);
  const tick = left.kind === "left" ? left.tickMs : null;
  useEffect(() => {
    if (tick === null) return;
    const timer = setTimeout(() => setNow(new Date()), Math.max(tick, 250));
    return () => clearTimeout(timer);
  }, [tick, now]);
  const tone =
    left.kind === "expired"
      ? "text-red-700 dark:text-red-300"
      : left.kind === "left" && left.urgent
        ? "text-amber-800 dark:text-amber-200"
        : "";
  return (
    <span data-testid="time-left" data-kind={left.kind} className={tone}>
      {expiresAt ? (
        <time dateTime={expiresAt} title={`Expires ${formatTimestamp(expiresAt)}`}>
          {left.text}
        </time>
      ) : (
        left.text
      )}
    </span>
  );
}
