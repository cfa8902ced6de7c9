import type { StaleTarget } from "@/lib/server/pipelines/staleness";
import { LiveAge } from "@/components/ui/live-age";

/** Says plainly which account/region shows old data, and how old. */
export function StaleBanner({ targets, now }: Readonly<{ targets: StaleTarget[]; now: Date }>) {
  if (targets.length === 0) return null;
  return (
    <div
      role="status"
      data-testid="stale-banner"
      className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      <div className="mx-auto max-w-7xl">
        <p className="font-medium">Some data may be out of date.</p>
        <ul className="mt-0.5">
          {targets.slice(0, 5).map((t) => (
            <li key={t.id}>
              Account {t.accountId} ({t.region}): last synced{" "}
              <LiveAge value={t.lastSuccessAt?.toISOString() ?? null} serverNow={now.toISOString()} />
            </li>
          ))}
          {targets.length > 5 && <li>and {targets.length - 5} more</li>}
        </ul>
      </div>
    </div>
  );
}
