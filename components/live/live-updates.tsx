"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useTransition } from "react";
import type { ChangeScope } from "@/lib/pipelines/schemas";
import { useChangeToken } from "./hooks/use-change-token";

/**
 * Keeps a server-rendered page current: when the change token moves, the page's server components
 * re-render in place (router.refresh keeps scroll position, focus and form input).
 */
export function LiveUpdates({ pipeline, repository }: Readonly<ChangeScope>) {
  const router = useRouter();
  const [refreshing, startTransition] = useTransition();
  const { data, isError } = useChangeToken({ pipeline, repository });
  const seen = useRef<string | null>(null);

  useEffect(() => {
    if (!data) return;
    if (seen.current !== null && seen.current !== data.token) startTransition(() => router.refresh());
    seen.current = data.token;
  }, [data, router]);

  return (
    <p
      className="flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400"
      data-testid="live-status"
      data-token={data?.token ?? ""}
    >
      <span
        aria-hidden="true"
        className={`size-2 rounded-full ${isError ? "bg-amber-500" : "bg-emerald-500"} ${refreshing ? "motion-safe:animate-ping" : ""}`}
      />
      {isError ? "Live updates paused (retrying)" : "Live"}
    </p>
  );
}
