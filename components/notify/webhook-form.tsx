"use client";

import { useId, useState } from "react";
import { BUTTON, INPUT, MUTED } from "@/components/ui/styles";
import {
  createWebhookBodySchema,
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENTS,
  type WebhookEvent,
  type WebhookFormat,
} from "@/lib/notify/schemas";
import { useCreateWebhook } from "./hooks/use-webhooks";

/** 32 random bytes as hex, made in the browser so the person can copy it to the receiver before saving. */
function generateSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Adds a webhook. The URL and secret are sent once and never shown again (only the URL's hint is). */
export function WebhookForm({ fullName }: Readonly<{ fullName: string }>) {
  const id = useId();
  const [format, setFormat] = useState<WebhookFormat>("slack");
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState("");
  const [events, setEvents] = useState<WebhookEvent[]>([...WEBHOOK_EVENTS]);
  const [problem, setProblem] = useState<string | null>(null);
  const create = useCreateWebhook(fullName);

  const submit = () => {
    const parsed = createWebhookBodySchema.safeParse({ format, url, events, ...(format === "json" ? { secret } : {}) });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      setProblem(`${issue?.path.join(".") || "form"}: ${issue?.message ?? "check the form"}`);
      return;
    }
    setProblem(null);
    create.mutate(parsed.data, {
      onSuccess: () => {
        setUrl("");
        setSecret("");
      },
    });
  };

  const failure = problem ?? (create.isError ? create.error.message : null);
  return (
    <form
      aria-label="Add a webhook"
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="mb-1 font-medium">Format</legend>
        {(["slack", "json"] as const).map((value) => (
          <label key={value} className="flex items-center gap-1.5">
            <input type="radio" name={`${id}-format`} checked={format === value} onChange={() => setFormat(value)} />
            {value === "slack" ? "Slack incoming webhook" : "Signed JSON"}
          </label>
        ))}
      </fieldset>
      <label className="block text-sm">
        <span className="font-medium">URL</span>
        <input
          className={`${INPUT} mt-1 block w-full`}
          type="url"
          autoComplete="off"
          spellCheck={false}
          placeholder={format === "slack" ? "https://hooks.slack.com/services/…" : "https://receiver.example.com/hook"}
          value={url}
          onChange={(event) => setUrl(event.target.value)}
        />
        <span className={`text-xs ${MUTED}`}>
          Stored encrypted; afterwards only its host and last characters are shown.
        </span>
      </label>
      {format === "json" && (
        <label className="block text-sm">
          <span className="font-medium">Signing secret</span>
          <span className="mt-1 flex gap-2">
            <input
              className={`${INPUT} block w-full font-mono`}
              autoComplete="off"
              spellCheck={false}
              value={secret}
              onChange={(event) => setSecret(event.target.value)}
            />
            <button type="button" className={BUTTON} onClick={() => setSecret(generateSecret())}>
              Generate
            </button>
          </span>
          <span className={`text-xs ${MUTED}`}>
            Copy it to your receiver now: it is never shown again. Bodies are signed with HMAC-SHA256 in
            X-Stageboard-Signature-256.
          </span>
        </label>
      )}
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="mb-1 font-medium">Events</legend>
        {WEBHOOK_EVENTS.map((event) => (
          <label key={event} className="flex items-center gap-1.5">
            <input
              type="checkbox"
              checked={events.includes(event)}
              onChange={(change) =>
                setEvents(change.target.checked ? [...events, event] : events.filter((e) => e !== event))
              }
            />
            {WEBHOOK_EVENT_LABELS[event]}
          </label>
        ))}
      </fieldset>
      <div className="flex items-center gap-3">
        <button type="submit" className={BUTTON} disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add webhook"}
        </button>
        <p role="status" aria-live="polite" className="text-sm">
          {failure ? (
            <span className="text-red-700 dark:text-red-300">{failure}</span>
          ) : create.isSuccess ? (
            "Added."
          ) : null}
        </p>
      </div>
    </form>
  );
}
