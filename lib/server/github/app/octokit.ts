import "server-only";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/core";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import Bottleneck from "bottleneck";
import { env } from "@/lib/env";
import { GITHUB_REQUEST_TIMEOUT_MS } from "@/lib/server/github/api";
import { GITHUB_API_URL } from "@/lib/server/github/config";
import { logger } from "@/lib/server/logger";
import { decideOnLimit, MAX_RETRIES, type ClientMode } from "./limit-decision";
import type { TokenCache } from "./token-cache";

// The one Octokit class every GitHub App call goes through: the throttling plugin (GitHub's advice on concurrency
// and write spacing, and the limit handlers below) and the retry plugin (5xx and network failures, a few times with
// backoff), against GITHUB_API_URL, so a GitHub Enterprise Server works like github.com. Each request ends after
// GITHUB_REQUEST_TIMEOUT_MS at the latest.

export const AppOctokit = Octokit.plugin(throttling, retry);
export type AppOctokitInstance = InstanceType<typeof AppOctokit>;

/**
 * The spacing between one installation's writes: a minute's allowance spread evenly over the minute (750 ms at
 * GitHub's 80 a minute; a limit configured otherwise, WRITEBACK_CONTENT_PER_MINUTE, alike), one write at a time.
 *
 * GitHub's limits are 80 content-creating requests a minute and 500 an hour, and its advice to "wait at least one
 * second between each request" (APP-FACTS §6.2) is for clients that do not count. Stageboard counts both windows
 * exactly, across processes, before every write (content-budget.ts), so the spacing is only there to keep a
 * minute's writes from reaching GitHub as one burst. One second would leave a quarter of every minute unused: it
 * costs nothing for a long backlog on github.com, where the hour binds (500 an hour, so 10 hours for 5,000 writes
 * at either spacing), but makes every backlog under the hour's 500 take a third longer than the limits allow.
 */
export function writeSpacingMs(perMinute: number): number {
  return Math.max(1, Math.ceil(60_000 / perMinute));
}

// One queue per installation (the Octokit's throttle id) for the whole process, as the plugin's own would be.
let writeQueues: Bottleneck.Group | undefined;
const writeGroup = () =>
  (writeQueues ??= new Bottleneck.Group({
    maxConcurrent: 1,
    minTime: writeSpacingMs(env.WRITEBACK_CONTENT_PER_MINUTE),
  }));

const fetchWithTimeout: typeof fetch = (input, init) => {
  const timeout = AbortSignal.timeout(GITHUB_REQUEST_TIMEOUT_MS);
  return fetch(input, {
    ...init,
    cache: "no-store",
    signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
  });
};

// Octokit and @octokit/auth-app report clock skew and token replication retries through `log`; they go to our
// logger (never to the console), and only as their message: no request, so no header.
const octokitLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message: unknown) => logger.warn({ source: "octokit" }, String(message).slice(0, 500)),
  error: (message: unknown) => logger.error({ source: "octokit" }, String(message).slice(0, 500)),
};

type LimitOptions = { method?: string; url?: string };

function onLimit(limit: "secondary" | "primary", mode: ClientMode) {
  return (retryAfterS: number, options: LimitOptions, _octokit: unknown, retryCount: number): boolean => {
    const decision = decideOnLimit({ limit, retryAfterS, retryCount, mode });
    // One line per wait (and per give-up): the route template only, never a header or a body.
    const fields = { limit, mode, method: options.method, route: options.url, retryCount };
    if (decision.kind === "wait") {
      logger.warn({ ...fields, waitSeconds: decision.seconds }, "GitHub rate limit: waiting before retrying");
      return true;
    }
    logger.warn({ ...fields, reason: decision.reason }, "GitHub rate limit: giving up");
    return false;
  };
}

/** How a client authenticates: not at all (the manifest conversion), as the App (JWT), or as an installation. */
export type AppOctokitAuth =
  | { kind: "none" }
  | { kind: "app"; appId: number; privateKey: string; cache: TokenCache }
  | { kind: "installation"; appId: number; privateKey: string; installationId: number; cache: TokenCache };

export interface AppOctokitOptions {
  mode: ClientMode;
  auth: AppOctokitAuth;
  /**
   * Which write queue the client shares. The throttling plugin spaces writes one second apart per id across the
   * whole process; GitHub counts content creation per installation, so each installation gets its own.
   */
  throttleId: string;
}

/**
 * App and installation tokens come from @octokit/auth-app: it signs a JWT per call (RS256, `iat` 30 s back for clock
 * drift, retried once with GitHub's clock on a skew error), asks for an installation token only when `cache` has
 * none (one request at a time per installation), and waits out GitHub's replication delay on a new token's 401.
 */
export function createAppOctokit(options: AppOctokitOptions): AppOctokitInstance {
  const { auth } = options;
  return new AppOctokit({
    baseUrl: GITHUB_API_URL,
    userAgent: "Stageboard",
    ...(auth.kind === "none"
      ? {}
      : {
          authStrategy: createAppAuth,
          auth: {
            appId: auth.appId,
            privateKey: auth.privateKey,
            cache: auth.cache,
            ...(auth.kind === "installation" ? { installationId: auth.installationId } : {}),
          },
        }),
    log: octokitLog,
    request: { fetch: fetchWithTimeout },
    retry: { retries: MAX_RETRIES },
    throttle: {
      id: options.throttleId,
      write: writeGroup(),
      onSecondaryRateLimit: onLimit("secondary", options.mode),
      onRateLimit: onLimit("primary", options.mode),
    },
  });
}
