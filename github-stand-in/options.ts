import type { StandInAppOptions } from "./app/app-options";
import type { Role } from "./world/permissions";

export interface StandInClient {
  clientId: string;
  clientSecret: string;
  /** Registered callback URL; redirect_uri must be it or a sub-path. Absent: any loopback URL is accepted. */
  callbackUrlPrefix?: string;
}

export interface StandInTeam {
  org: string;
  slug: string;
  role?: "member" | "maintainer";
}

export interface StandInUser {
  login: string;
  name: string;
  id?: number;
  email?: string;
  /** Role on every repository of an owner, e.g. { acme: "admin" }. */
  owners?: Record<string, Role>;
  /** Per-repository overrides keyed by "owner/name"; they win over the owner grant. */
  repositories?: Record<string, Role>;
  orgs?: string[];
  teams?: StandInTeam[];
}

export interface GitHubStandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Base URL used in links and object URLs; default derived from the request's Host header. */
  publicUrl?: string;
  repositories?: string[];
  users?: StandInUser[];
  clients?: StandInClient[];
  /** Requests per token per hour (GitHub: 5000). */
  rateLimit?: number;
  /** Requests per client address per hour without a token (GitHub: 60). */
  anonymousRateLimit?: number;
  /**
   * Where to read commits the control plane did not register: a URL answering `?repository=&ref=&limit=` with
   * `{ commits: [{ sha, parents, message, author: { name, email, date } }] }`, newest first, such as the CodePipeline
   * sandbox's `/_sandbox/commits`.
   */
  commitsFrom?: string;
  /** Milliseconds since the epoch; injectable so code expiry and rate windows can be tested without waiting. */
  now?: () => number;
  /** GitHub Apps that exist from the start, with their installations (see app/app-options.ts, DEMO_APP). */
  apps?: StandInAppOptions[];
}

export const DEFAULT_REPOSITORIES = [
  "acme/web-app",
  "acme/api",
  "acme/payments",
  "globex/storefront",
  "globex/inventory",
  "initech/tps-reports",
];

export const DEFAULT_USERS: StandInUser[] = [
  {
    login: "ada",
    name: "Ada Lovelace",
    id: 1001,
    email: "ada@example.com",
    owners: { acme: "admin", globex: "read" },
    orgs: ["acme"],
    teams: [{ org: "acme", slug: "platform", role: "maintainer" }],
  },
  {
    login: "grace",
    name: "Grace Hopper",
    id: 1002,
    email: "grace@example.com",
    owners: { globex: "write", initech: "read" },
    teams: [{ org: "globex", slug: "release-managers", role: "maintainer" }],
  },
  {
    login: "linus",
    name: "Linus Torvalds",
    id: 1003,
    email: "linus@example.com",
    repositories: { "acme/web-app": "read" },
  },
  // globex's second writer, so a repository there can need two approvals from two different people.
  {
    login: "margaret",
    name: "Margaret Hamilton",
    id: 1004,
    email: "margaret@example.com",
    owners: { globex: "write" },
    teams: [{ org: "globex", slug: "release-managers", role: "member" }],
  },
];

export const DEFAULT_CLIENTS: StandInClient[] = [{ clientId: "stageboard-dev", clientSecret: "stageboard-dev-secret" }];

export const DEFAULT_RATE_LIMIT = 5000;
export const DEFAULT_ANONYMOUS_RATE_LIMIT = 60;
