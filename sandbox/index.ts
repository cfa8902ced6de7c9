// Library entry: startSandbox() runs the CodePipeline emulator in-process (tests, benchmarks) or under the CLI.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ManualClock, type ClockMode } from "./core/clock";
import { hash32, Rng } from "./core/hash";
import { Scheduler } from "./core/scheduler";
import type { World } from "./core/world";
import { Faults } from "./control/faults";
import { handleControl, type ControlPlane } from "./control/routes";
import { loadState, saveState } from "./control/state-file";
import { Stats } from "./control/stats";
import { EventDelivery, type EventDeliveryOptions } from "./events/delivery";
import { eventFor } from "./events/event-shape";
import { fleetConnections } from "./fleet/connections";
import { buildFleet, WARMUP_MS } from "./fleet/generate";
import { runTask, scheduleActivity } from "./sim/tasks";
import { handleAws } from "./wire/aws-handler";
import { handleSts, isStsRequest } from "./wire/sts-handler";
import { Iam } from "./iam/caller";
import { defaultRoles, parseRoles, type RoleConfig } from "./iam/roles";

export type { FaultConfig } from "./control/faults";
export type { EventDeliveryOptions } from "./events/delivery";
export type { RoleConfig, RoleStatement } from "./iam/roles";

export interface SandboxOptions {
  port?: number;
  host?: string;
  /** Fleet size, 0 to 5,000 (default 24). */
  pipelines?: number;
  seed?: string | number;
  clock?: ClockMode;
  /** Manual clock only: the fleet's "now" at start (default: the current time). */
  startTime?: number;
  historyDays?: number;
  region?: string;
  account?: string;
  /** The GitHub its connections point at (default github.com); any other makes them GitHub Enterprise Server connections on a host at that URL. */
  githubUrl?: string;
  /** Keep starting webhook-like executions (default: on with the real clock, off with the manual one). */
  activity?: boolean;
  events?: EventDeliveryOptions;
  stateFile?: string;
  stateSaveIntervalMs?: number;
  /**
   * Roles STS lets callers assume (default: StageboardRead, reads only, and StageboardControl, reads and commands).
   * Long-term credentials keep full access whatever the roles.
   */
  roles?: RoleConfig[];
  /** Wall clock of STS, which issues and expires temporary credentials (default Date.now). */
  stsClock?: () => number;
  /** Called with every AWS API response (tests validate them against AWS's model). */
  onResponse?: (operation: string, status: number, body: unknown) => void;
}

export interface Sandbox {
  url: string;
  port: number;
  world: World;
  stats: Stats;
  faults: Faults;
  iam: Iam;
  /** Manual clock: runs the simulation `ms` forward. */
  advance(ms: number): void;
  stop(): Promise<void>;
}

const MAX_BODY = 2_000_000;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new Error("body too large"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function createWorld(options: SandboxOptions, stats: Stats, delivery: EventDelivery | undefined): World {
  const seed = String(options.seed ?? "stageboard");
  const mode = options.clock ?? "real";
  const saved = options.stateFile ? loadState(options.stateFile) : undefined;
  const origin = saved?.originMs ?? (mode === "manual" ? (options.startTime ?? Date.now()) : Date.now());
  let serial = 0;
  const env = {
    account: options.account ?? "111122223333",
    region: options.region ?? "us-east-1",
    seed,
    ...(options.githubUrl ? { githubUrl: options.githubUrl } : {}),
  };
  const world: World = {
    env,
    ...fleetConnections(env),
    clock: new ManualClock(saved ? saved.now : origin - WARMUP_MS),
    scheduler: new Scheduler(saved?.scheduler.tasks, saved?.scheduler.seq),
    rng: new Rng(saved?.rng ?? hash32(seed, 99)),
    originMs: origin,
    pipelines: new Map(saved?.pipelines.map((p) => [p.name, p])),
    executions: new Map(saved?.executions.map((e) => [e.id, e])),
    tokens: new Map(saved?.tokens),
    idempotency: new Map(saved?.idempotency),
    scripts: new Map(saved?.scripts),
    activity: options.activity ?? mode === "real",
    execSeq: saved?.execSeq ?? 0,
    onChange: (change) => {
      stats.change(change.level);
      delivery?.push(eventFor(world, change, serial++));
    },
  };
  if (!saved) {
    buildFleet(world, {
      pipelines: Math.max(0, Math.min(5000, options.pipelines ?? 24)),
      historyDays: options.historyDays ?? 90,
    });
    world.scheduler.runUntil(origin, (t) => runTask(world, t), world.clock);
    if (world.activity) for (const p of world.pipelines.values()) scheduleActivity(world, p);
  }
  return world;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const mode = options.clock ?? "real";
  const stats = new Stats();
  const faults = new Faults();
  const delivery = options.events ? new EventDelivery(options.events) : undefined;
  const world = createWorld(options, stats, delivery);
  stats.reset(world.clock.now());
  const advance = (ms: number) =>
    world.scheduler.runUntil(world.clock.now() + ms, (t) => runTask(world, t), world.clock);
  const sync = () => {
    if (mode === "real") advance(Math.max(0, Date.now() - world.clock.now()));
  };
  const secret = `${world.env.seed}|tokens`;
  const iam = new Iam({
    account: world.env.account,
    secret: `${world.env.seed}|${world.env.account}`,
    roles: options.roles ? parseRoles(options.roles) : defaultRoles(world.env.account),
    now: options.stsClock ?? Date.now,
  });
  const control: ControlPlane = { world: () => world, faults, stats, iam, mode, advance, sync };
  const endpoint = {
    context: () => ({ world, secret }),
    iam,
    faults,
    stats,
    sync,
    ...(options.onResponse ? { onResponse: options.onResponse } : {}),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then((raw) =>
        (req.url ?? "/").startsWith("/_sandbox/")
          ? handleControl(control, req, res, raw)
          : isStsRequest(req)
            ? handleSts(iam, req, res, raw)
            : handleAws(endpoint, req, res, raw),
      )
      .catch((error: unknown) => {
        if (!res.headersSent)
          res
            .writeHead(400, { "content-type": "application/json" })
            .end(JSON.stringify({ error: error instanceof Error ? error.message : "bad request" }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const timers: NodeJS.Timeout[] = [];
  if (mode === "real") timers.push(setInterval(sync, 250));
  if (options.stateFile) {
    const file = options.stateFile;
    timers.push(setInterval(() => saveState(file, world), options.stateSaveIntervalMs ?? 5_000));
  }
  for (const t of timers) t.unref();
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    world,
    stats,
    faults,
    iam,
    advance,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (options.stateFile) saveState(options.stateFile, world);
      await delivery?.stop();
    },
  };
}
