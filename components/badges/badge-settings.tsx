"use client";

import { useState } from "react";
import { BUTTON, CARD, INPUT, MUTED } from "@/components/ui/styles";
import type { BadgeKeyView } from "@/lib/badges/schemas";
import { useBadgeKey, useRotateBadgeKey } from "./hooks/use-badge-key";

const SECONDARY = `rounded-md border border-zinc-300 px-3 py-1.5 text-sm dark:border-zinc-700`;

function KeyState({ view }: Readonly<{ view: BadgeKeyView }>) {
  const { key } = view;
  if (key.kind === "none")
    return (
      <p className="text-sm">No badge key yet{view.private ? ": the badges say “unknown” until one exists." : "."}</p>
    );
  const made = (
    <span className={`block text-xs ${MUTED}`}>
      Made by @{key.createdBy} on <time dateTime={key.createdAt}>{new Date(key.createdAt).toUTCString()}</time>
    </span>
  );
  if (key.kind === "unreadable")
    return (
      <p className="text-sm">
        The key was sealed with an encryption key this instance no longer has: it still opens the badges, but cannot be
        shown. Rotate it to get one you can copy.
        {made}
      </p>
    );
  return (
    <label className="flex flex-col text-sm">
      <span className="mb-1">Badge key</span>
      <input readOnly value={key.value} className={`${INPUT} font-mono`} data-testid="badge-key" spellCheck={false} />
      {made}
    </label>
  );
}

function Markdown({ view }: Readonly<{ view: BadgeKeyView }>) {
  const [copied, setCopied] = useState(false);
  const urls = view.urls;
  if (!urls) return null;
  const copy = () =>
    void navigator.clipboard.writeText(urls.markdown).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <div className="space-y-2">
      <label className="flex flex-col text-sm">
        <span className="mb-1">Markdown for the README</span>
        <textarea
          readOnly
          rows={2}
          value={urls.markdown}
          className={`${INPUT} font-mono`}
          data-testid="badge-markdown"
          spellCheck={false}
        />
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={SECONDARY} onClick={copy}>
          Copy Markdown
        </button>
        {/* eslint-disable-next-line @next/next/no-img-element -- an SVG from this instance, not an optimisable image */}
        <img src={urls.repositoryBadge} alt={`Status badge of ${view.repository}`} data-testid="badge-preview" />
        {copied && (
          <span role="status" className="text-sm">
            Copied
          </span>
        )}
      </div>
      <p className={`text-xs ${MUTED}`}>
        One pipeline: <code className="break-all">{urls.pipelineBadge}</code>; add <code>stage=</code> for one stage,{" "}
        <code>branch=</code> for one branch, <code>label=</code> and <code>style=</code> as on shields.io.
      </p>
    </div>
  );
}

function Rotate({ fullName, hasKey }: Readonly<{ fullName: string; hasKey: boolean }>) {
  const rotate = useRotateBadgeKey(fullName);
  const [confirming, setConfirming] = useState(false);
  const run = () => rotate.mutate(undefined, { onSettled: () => setConfirming(false) });
  return (
    <div className="space-y-2">
      {!hasKey ? (
        <button type="button" className={BUTTON} onClick={run} disabled={rotate.isPending}>
          Create a badge key
        </button>
      ) : confirming ? (
        <div className="flex flex-wrap items-center gap-2 text-sm" role="group" aria-label="Confirm the rotation">
          <span>The current key stops working at once: badges that carry it say “unknown” until updated.</span>
          <button type="button" className={BUTTON} onClick={run} disabled={rotate.isPending}>
            Rotate now
          </button>
          <button type="button" className={SECONDARY} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className={SECONDARY} onClick={() => setConfirming(true)}>
          Rotate the key
        </button>
      )}
      {rotate.isError && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {rotate.error.message}
        </p>
      )}
    </div>
  );
}

/** The repository's status badges: public or keyed, the key (shown and rotated by admins) and the Markdown. */
export function BadgeSettings({ fullName }: Readonly<{ fullName: string }>) {
  const { data: view, error, isPending } = useBadgeKey(fullName);
  return (
    <section aria-labelledby="badges-heading" className={`${CARD} mt-6 space-y-3 p-4`}>
      <h2 id="badges-heading" className="font-medium">
        Status badges
      </h2>
      {isPending ? (
        <p role="status" className={`text-sm ${MUTED}`}>
          Asking GitHub whether you administer {fullName}…
        </p>
      ) : error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error.message}
        </p>
      ) : (
        <>
          <p className={`text-sm ${MUTED}`}>
            {view.private
              ? `${view.repository} is private on GitHub (as far as Stageboard last heard): its badges show a status only with the key below, and the key shows nothing but the badges.`
              : `${view.repository} is public on GitHub: its badges are public.`}
          </p>
          <KeyState view={view} />
          <Markdown view={view} />
          <Rotate fullName={fullName} hasKey={view.key.kind !== "none"} />
        </>
      )}
    </section>
  );
}
