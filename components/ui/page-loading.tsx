export function PageLoading() {
  return (
    <div role="status" aria-label="Loading" className="space-y-4">
      <div className="h-7 w-56 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      {[0, 1, 2].map((i) => (
        <div key={i} className="h-20 animate-pulse rounded-lg bg-zinc-200/70 dark:bg-zinc-800/70" />
      ))}
      <span className="sr-only">Loading…</span>
    </div>
  );
}
