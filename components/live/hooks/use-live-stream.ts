"use client";

import { useEffect, useRef, useState } from "react";
import { ApiClientError, fetchChangeToken } from "@/lib/pipelines/api-client";
import type { LiveChangeEvent } from "@/lib/pipelines/live-invalidation";
import type { ChangeScope } from "@/lib/pipelines/schemas";
import { nextStreamStep, type StreamStep } from "./stream-backoff";

export type LiveStatus = "connecting" | "live" | "reconnecting" | "polling" | "paused" | "ended";

export type LiveHandlers = {
  /** A batch of changes in scope (events arriving together are delivered together). */
  onChanges(events: LiveChangeEvent[]): void;
  /** The stream could not tell what changed (resumed too far behind, or polling saw the token move). */
  onReset(): void;
};

/** Polling /api/changes, only while the stream cannot be opened. */
export const FALLBACK_POLL_MS = 2_000;
/** Events arriving within this window are handled as one batch: one refetch per query, not one per event. */
const BATCH_MS = 50;

function streamUrl(scope: ChangeScope, lastEventId: string | null): string {
  const params = new URLSearchParams();
  if (scope.pipeline) params.set("pipeline", scope.pipeline);
  if (scope.repository) params.set("repository", scope.repository);
  if (lastEventId) params.set("lastEventId", lastEventId);
  const query = params.toString();
  return `/api/stream${query ? `?${query}` : ""}`;
}

/**
 * The page's live stream (GET /api/stream) over EventSource. The browser's own reconnect is not used:
 * after an error the stream is closed and reopened with jittered exponential backoff, resuming from
 * the last event id. After several failed attempts in a row it polls /api/changes instead, and keeps
 * trying the stream less often. A hidden page closes its stream (and polls nothing) until it is
 * visible again. A stream told its session ended stays closed.
 */
export function useLiveStream(
  scope: ChangeScope,
  options: { initialEventId: string | null; handlers: LiveHandlers },
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const handlers = useRef(options.handlers);
  const lastEventId = useRef(options.initialEventId);
  useEffect(() => {
    handlers.current = options.handlers;
  });
  const { pipeline, repository } = scope;

  useEffect(() => {
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let poller: ReturnType<typeof setInterval> | null = null;
    let step: StreamStep = { kind: "connect", failures: 0 };
    let pending: LiveChangeEvent[] = [];
    let batch: ReturnType<typeof setTimeout> | null = null;
    let token: string | null = null;
    let ended = false;

    const flush = () => {
      batch = null;
      const events = pending;
      pending = [];
      if (events.length) handlers.current.onChanges(events);
    };
    const stopPolling = () => {
      if (poller) clearInterval(poller);
      poller = null;
      token = null;
    };
    const poll = async () => {
      try {
        const next = (await fetchChangeToken({ pipeline, repository })).token;
        if (token !== null && next !== token) handlers.current.onReset();
        token = next;
      } catch (error) {
        // Signed out (elsewhere, or expired): nothing more will come. Anything else: the next poll tries again.
        if (error instanceof ApiClientError && error.status === 401) end();
      }
    };
    const close = () => {
      source?.close();
      source = null;
      if (timer) clearTimeout(timer);
      timer = null;
    };
    const end = () => {
      ended = true;
      close();
      stopPolling();
      setStatus("ended");
    };

    const open = () => {
      close();
      if (ended || document.visibilityState === "hidden") return;
      const es = new EventSource(streamUrl({ pipeline, repository }, lastEventId.current));
      source = es;
      es.addEventListener("open", () => {
        step = { kind: "connect", failures: 0 };
        stopPolling();
        setStatus("live");
      });
      es.addEventListener("change", (event) => {
        if (event.lastEventId) lastEventId.current = event.lastEventId;
        try {
          pending.push(JSON.parse(event.data as string) as LiveChangeEvent);
        } catch {
          return;
        }
        batch ??= setTimeout(flush, BATCH_MS);
      });
      es.addEventListener("reset", (event) => {
        if (event.lastEventId) lastEventId.current = event.lastEventId;
        pending = [];
        handlers.current.onReset();
      });
      es.addEventListener("end", end);
      es.addEventListener("error", () => {
        if (source !== es) return;
        close();
        step = nextStreamStep(step, Math.random());
        if (step.kind === "poll" && !poller) {
          setStatus("polling");
          void poll();
          poller = setInterval(() => void poll(), FALLBACK_POLL_MS);
        } else if (step.kind !== "poll") setStatus("reconnecting");
        timer = setTimeout(open, step.delayMs);
      });
    };

    const onVisibility = () => {
      if (document.visibilityState === "hidden") {
        close();
        stopPolling();
        if (!ended) setStatus("paused");
      } else if (!ended) {
        // Back on screen: the stream resumes from the last id, so nothing that changed meanwhile is missed.
        step = { kind: "connect", failures: 0 };
        setStatus("connecting");
        open();
      }
    };

    open();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      close();
      stopPolling();
      if (batch) clearTimeout(batch);
    };
  }, [pipeline, repository]);

  return status;
}
