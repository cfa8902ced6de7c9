// The engine's knobs. Defaults come from the validated environment; tests and benchmarks pass their own.
import "server-only";

export interface SyncSettings {
  /** Poll interval of a pipeline with work in progress. */
  activeIntervalMs: number;
  /** First interval while open executions only wait for an approval or a disabled transition; it doubles while nothing moves. */
  waitingIntervalMs: number;
  /** Longest interval between checks of a pipeline whose approval was requested less than approvalWatchMs ago, without events. */
  maxWaitingIntervalMs: number;
  approvalWatchMs: number;
  /** First idle interval; it doubles with each idle check that finds nothing, up to maxIdleIntervalMs. */
  idleIntervalMs: number;
  maxIdleIntervalMs: number;
  /** Idle interval while EventBridge events are flowing for the target (events announce changes). */
  reconcileIntervalMs: number;
  /** Safety-net interval for active pipelines while events flow (events may be lost). */
  activeWithEventsIntervalMs: number;
  /** A target counts as "events flowing" while its last event is younger than this. */
  eventsFreshMs: number;
  /** Bursts of events for one pipeline within this window cause one sync. */
  eventCoalesceMs: number;
  requestsPerSecond: number;
  leaseMs: number;
  discoveryIntervalMs: number;
  /** Pages fetched per backfill step before the lease is handed back (others get a turn). */
  backfillPagesPerStep: number;
  /**
   * Share of a target's request budget that live checks may use while some of its pipelines still backfill
   * (a first backfill of a large account takes hours: pipelines already backfilled still show live state).
   */
  backfillLiveShare: number;
  /** Pipelines synced concurrently by one process. */
  concurrency: number;
  /** How often a process looks for due pipelines. */
  tickMs: number;
  /** Relative jitter applied to every interval (0.1 = ±10%). */
  jitter: number;
  retentionDays: number | null;
  /** The audit log's own retention (AUDIT_RETENTION_DAYS), pruned on the same schedule as the rest. */
  auditRetentionDays: number;
  /** How often a process prunes ended sessions and other bookkeeping (and history under retentionDays). */
  pruneIntervalMs: number;
  /** Absolute session lifetime (SESSION_MAX_AGE_DAYS): older sessions are pruned. */
  sessionMaxAgeMs: number;
  /** Base URL for commit links of mapped repositories. */
  githubUrl: string;
  /** GITHUB_COM_STAND_IN_URL: the local stand-in that plays github.com, if any (see isGitHubDotCom). */
  githubComStandInUrl: string | null;
}

export const DEFAULT_SETTINGS: SyncSettings = {
  activeIntervalMs: 5_000,
  waitingIntervalMs: 5_000,
  maxWaitingIntervalMs: 60_000,
  approvalWatchMs: 3_600_000,
  idleIntervalMs: 300_000,
  maxIdleIntervalMs: 1_200_000,
  reconcileIntervalMs: 1_800_000,
  activeWithEventsIntervalMs: 180_000,
  eventsFreshMs: 6 * 3_600_000,
  eventCoalesceMs: 250,
  requestsPerSecond: 5,
  leaseMs: 30_000,
  discoveryIntervalMs: 300_000,
  backfillPagesPerStep: 5,
  backfillLiveShare: 0.1,
  concurrency: 16,
  tickMs: 200,
  jitter: 0.1,
  retentionDays: null,
  auditRetentionDays: 400,
  pruneIntervalMs: 600_000,
  sessionMaxAgeMs: 30 * 86_400_000,
  githubUrl: "https://github.com",
  githubComStandInUrl: null,
};

export interface SyncEnv {
  SYNC_ACTIVE_INTERVAL_MS: number;
  SYNC_IDLE_INTERVAL_MS: number;
  SYNC_RECONCILE_INTERVAL_MS: number;
  SYNC_REQUESTS_PER_SECOND: number;
  SYNC_RETENTION_DAYS?: number | undefined;
  SESSION_MAX_AGE_DAYS?: number | undefined;
  AUDIT_RETENTION_DAYS?: number | undefined;
  GITHUB_URL: string;
  GITHUB_COM_STAND_IN_URL?: string | undefined;
}

export function settingsFromEnv(env: SyncEnv): SyncSettings {
  return {
    ...DEFAULT_SETTINGS,
    activeIntervalMs: env.SYNC_ACTIVE_INTERVAL_MS,
    waitingIntervalMs: env.SYNC_ACTIVE_INTERVAL_MS,
    idleIntervalMs: env.SYNC_IDLE_INTERVAL_MS,
    maxIdleIntervalMs: Math.max(env.SYNC_IDLE_INTERVAL_MS, Math.min(4 * env.SYNC_IDLE_INTERVAL_MS, 3_600_000)),
    reconcileIntervalMs: env.SYNC_RECONCILE_INTERVAL_MS,
    // With events flowing, busy pipelines are still checked as a safety net; never less often than idle ones.
    activeWithEventsIntervalMs: Math.min(DEFAULT_SETTINGS.activeWithEventsIntervalMs, env.SYNC_RECONCILE_INTERVAL_MS),
    requestsPerSecond: env.SYNC_REQUESTS_PER_SECOND,
    retentionDays: env.SYNC_RETENTION_DAYS ?? null,
    auditRetentionDays: env.AUDIT_RETENTION_DAYS ?? DEFAULT_SETTINGS.auditRetentionDays,
    sessionMaxAgeMs: (env.SESSION_MAX_AGE_DAYS ?? 30) * 86_400_000,
    githubUrl: env.GITHUB_URL.replace(/\/+$/, ""),
    githubComStandInUrl: env.GITHUB_COM_STAND_IN_URL ?? null,
  };
}
