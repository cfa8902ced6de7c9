"use client";

import { useEffect, useState } from "react";
import { RelativeTime } from "./relative-time";

/** A relative time that keeps counting in the browser ("synced 4 minutes ago" stays true). */
export function LiveAge({ value, serverNow }: Readonly<{ value: string | null; serverNow: string }>) {
  const [now, setNow] = useState(() => new Date(serverNow));
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 10_000);
    return () => clearInterval(timer);
  }, []);
  if (!value) return <span>never</span>;
  return <RelativeTime value={value} now={now} />;
}
