import type { GitHubStandInOptions, StandInClient } from "./options";
import {
  DEFAULT_ANONYMOUS_RATE_LIMIT,
  DEFAULT_CLIENTS,
  DEFAULT_RATE_LIMIT,
  DEFAULT_REPOSITORIES,
  DEFAULT_USERS,
} from "./options";
import { RequestCounts } from "./control/request-counts";
import { Faults } from "./faults/faults";
import { restRouteTemplate } from "./faults/route-template";
import { CodeStore } from "./oauth/codes";
import { RateLimiter } from "./rest/rate-limit";
import { CommitStore } from "./world/commits";
import { Records } from "./world/records";
import { TokenStore } from "./world/tokens";
import { World } from "./world/world";

/** Everything one running stand-in knows; handlers receive it instead of reaching for globals. */
export interface StandInState {
  world: World;
  tokens: TokenStore;
  records: Records;
  commits: CommitStore;
  codes: CodeStore;
  limiter: RateLimiter;
  /** Requests to the GitHub side since the last reset (GET /_stand-in/requests). */
  requests: RequestCounts;
  /** Failures armed through POST /_stand-in/faults. */
  faults: Faults;
  clients: StandInClient[];
  rateLimit: number;
  anonymousRateLimit: number;
  publicUrl: string | undefined;
  /** Set once the server listens; used when a request carries no usable Host header. */
  listeningUrl: string;
  down: boolean;
  now: () => number;
}

export function createState(options: GitHubStandInOptions): StandInState {
  const now = options.now ?? Date.now;
  const repositories = options.repositories?.length ? options.repositories : DEFAULT_REPOSITORIES;
  const world = new World(options.users ?? DEFAULT_USERS);
  const rejected = world.addRepositories(repositories);
  if (rejected.length > 0) throw new Error(`invalid repository names: ${rejected.join(", ")}`);
  return {
    world,
    tokens: new TokenStore(),
    records: new Records(),
    commits: new CommitStore(options.commitsFrom, now),
    codes: new CodeStore(now),
    limiter: new RateLimiter(now),
    requests: new RequestCounts(now, restRouteTemplate),
    faults: new Faults(now),
    clients: options.clients ?? DEFAULT_CLIENTS,
    rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT,
    anonymousRateLimit: options.anonymousRateLimit ?? DEFAULT_ANONYMOUS_RATE_LIMIT,
    publicUrl: options.publicUrl,
    listeningUrl: "http://127.0.0.1",
    down: false,
    now,
  };
}
