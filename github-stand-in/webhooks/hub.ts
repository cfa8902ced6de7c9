// Sends the Apps' webhook deliveries and keeps their log. A delivery is sent after the request that caused it has
// been answered (never while it waits), one at a time per App in the order the events happened, with GitHub's
// headers and a 10 s limit for the receiver's answer; every attempt is logged. GitHub never retries on its own: only
// a redelivery (POST /app/hook/deliveries/{id}/attempts) sends one again. For benchmarks and failure drills the
// control plane can pause the receiver's reachability, send deliveries twice or send them out of order.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { isoTime, nodeId } from "../shapes/urls";
import type { StandInState } from "../state";
import type { AppRecord } from "../world/apps";
import type { Repository } from "../world/world";
import type { DeliveryRecord } from "./delivery-log";
import { DeliveryLog } from "./delivery-log";
import type { RecipientQuery, WebhookEvent } from "./recipients";
import { recipients } from "./recipients";
import { signatureHeaders } from "./signature";

/** GitHub.com marks a delivery failed when the receiver has not answered within 10 seconds. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** What of the receiver's answer the log keeps. */
const MAX_RESPONSE_CHARS = 64 * 1024;
/** Each App's webhook has an id of its own (X-GitHub-Hook-ID), far from every other id. */
const HOOK_ID_OFFSET = 480_000_000;

export interface Emission {
  event: WebhookEvent;
  action: string | null;
  repository: Repository;
  onlyAppId?: number;
  level?: RecipientQuery["level"];
  /** The payload without `installation`; a promise when part of it must be fetched (a push's commits). */
  payload: Record<string, unknown> | Promise<Record<string, unknown>>;
}

interface Attempt {
  app: AppRecord;
  guid: string;
  event: string;
  action: string | null;
  installationId: number | null;
  repositoryId: number | null;
  payload: Record<string, unknown>;
  redelivery: boolean;
}

export interface WebhookControls {
  paused: boolean;
  /** How many of the next deliveries are each sent twice. */
  duplicate: number;
  /** While set, deliveries go out concurrently, each after a random wait up to this many ms: out of order. */
  shuffleWindowMs: number | null;
}

export class WebhookHub {
  readonly log = new DeliveryLog();
  readonly controls: WebhookControls = { paused: false, duplicate: 0, shuffleWindowMs: null };
  /** Replaceable so tests of a hanging receiver need not wait GitHub's full 10 seconds. */
  timeoutMs = DELIVERY_TIMEOUT_MS;
  private readonly queues = new Map<number, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly state: StandInState) {}

  /** Schedules the event's deliveries to every App that receives it; returns at once. */
  emit(emission: Emission): void {
    const world = this.state.world;
    const to = recipients(world.apps.list(), world.installations.all(), {
      event: emission.event,
      repository: emission.repository,
      ...(emission.onlyAppId !== undefined ? { onlyAppId: emission.onlyAppId } : {}),
      ...(emission.level ? { level: emission.level } : {}),
    });
    if (to.length === 0) return;
    // One GUID per event, shared by every App's delivery of it (GitHub: "shared with all deliveries … of this event").
    const guid = randomUUID();
    const payload = Promise.resolve(emission.payload);
    payload.catch(() => undefined);
    for (const { app, installation } of to) {
      this.schedule(app, async () => {
        const body = await payload;
        return {
          app,
          guid,
          event: emission.event,
          action: emission.action,
          installationId: installation.id,
          repositoryId: emission.repository.id,
          payload: { ...body, installation: { id: installation.id, node_id: nodeId("Installation", installation.id) } },
          redelivery: false,
        };
      });
    }
  }

  /** Sends a logged delivery again: same guid and payload, logged as a new redelivery. */
  redeliver(record: DeliveryRecord): void {
    const app = this.state.world.apps.byId(record.appId);
    if (!app) return;
    this.schedule(app, () =>
      Promise.resolve({
        app,
        guid: record.guid,
        event: record.event,
        action: record.action,
        installationId: record.installationId,
        repositoryId: record.repositoryId,
        payload: record.request.payload,
        redelivery: true,
      }),
    );
  }

  /** Resolves once every delivery scheduled so far has been attempted (tests, and a clean stop). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private schedule(app: AppRecord, prepare: () => Promise<Attempt>): void {
    const copies = this.controls.duplicate > 0 ? 2 : 1;
    if (copies === 2) this.controls.duplicate--;
    const shuffle = this.controls.shuffleWindowMs;
    const run = async () => {
      // setImmediate: the triggering request's answer is written before anything is sent.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (shuffle !== null) await new Promise((resolve) => setTimeout(resolve, Math.random() * shuffle));
      let attempt: Attempt;
      try {
        attempt = await prepare();
      } catch {
        return; // the payload could not be built (its repository is gone): GitHub sends nothing either
      }
      for (let i = 0; i < copies; i++) await this.attempt(attempt);
    };
    const task =
      shuffle !== null ? run() : (this.queues.get(app.id) ?? Promise.resolve()).then(run, run).catch(() => undefined);
    if (shuffle === null) this.queues.set(app.id, task);
    const tracked = task.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async attempt(attempt: Attempt): Promise<void> {
    const { app } = attempt;
    const url = app.webhookUrl ?? "";
    const body = JSON.stringify(attempt.payload);
    const headers: Record<string, string> = {
      Accept: "*/*",
      "Content-Type": "application/json",
      "User-Agent": `GitHub-Hookshot/${hookshotVersion()}`,
      "X-GitHub-Delivery": attempt.guid,
      "X-GitHub-Event": attempt.event,
      "X-GitHub-Hook-ID": String(HOOK_ID_OFFSET + app.id),
      "X-GitHub-Hook-Installation-Target-ID": String(app.id),
      "X-GitHub-Hook-Installation-Target-Type": "integration",
      ...signatureHeaders(app.webhookSecret, body),
    };
    const deliveredAt = isoTime(this.state.now());
    const started = performance.now();
    const outcome = this.controls.paused ? FAILED_TO_CONNECT : await post(url, headers, body, this.timeoutMs);
    this.log.add(
      {
        guid: attempt.guid,
        appId: app.id,
        deliveredAt,
        redelivery: attempt.redelivery,
        duration: Math.round(performance.now() - started) / 1000,
        status: outcome.status,
        statusCode: outcome.statusCode,
        event: attempt.event,
        action: attempt.action,
        installationId: attempt.installationId,
        repositoryId: attempt.repositoryId,
        url,
        request: { headers, payload: attempt.payload },
        response: { headers: outcome.headers, payload: outcome.payload },
      },
      this.state.now(),
    );
  }
}

interface Outcome {
  status: string;
  statusCode: number;
  headers: Record<string, string> | null;
  payload: string | null;
}

// GitHub's log gives a delivery that never got an answer a gateway status, so `status=failure` finds it.
const FAILED_TO_CONNECT: Outcome = { status: "failed to connect", statusCode: 502, headers: null, payload: null };
const TIMED_OUT: Outcome = { status: "timed out", statusCode: 504, headers: null, payload: null };

async function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Outcome> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    // GitHub follows no redirect: a 3xx is an answer like any other that is not 2xx.
    const response = await fetch(url, { method: "POST", headers, body, signal, redirect: "manual" });
    const text = await response.text();
    const answered = Object.fromEntries(response.headers.entries());
    const ok = response.status >= 200 && response.status < 300;
    return {
      status: ok ? "OK" : `Invalid HTTP Response: ${response.status}`,
      statusCode: response.status,
      headers: answered,
      payload: text.slice(0, MAX_RESPONSE_CHARS),
    };
  } catch {
    return signal.aborted ? TIMED_OUT : FAILED_TO_CONNECT;
  }
}

/** GitHub's Hookshot names a build in its User-Agent; a short hex id, fixed per process. */
let hookshot: string | null = null;
function hookshotVersion(): string {
  hookshot ??= randomUUID().replace(/-/g, "").slice(0, 7);
  return hookshot;
}

const hubs = new WeakMap<StandInState, WebhookHub>();

/** The stand-in's webhook sender and log, made on first use. */
export function webhooksOf(state: StandInState): WebhookHub {
  let hub = hubs.get(state);
  if (!hub) {
    hub = new WebhookHub(state);
    hubs.set(state, hub);
  }
  return hub;
}
