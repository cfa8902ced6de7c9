"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useGitHubHost } from "@/components/ui/github-host";
import { signOutEverywhere } from "./sign-out-everywhere";

const ITEM =
  "block w-full whitespace-nowrap rounded px-3 py-1.5 text-left text-sm hover:bg-zinc-100 focus-visible:bg-zinc-100 focus-visible:outline-none dark:hover:bg-zinc-800 dark:focus-visible:bg-zinc-800";

/** The viewer's avatar, the initial when GitHub's image cannot be loaded. */
function Avatar({ login, host }: Readonly<{ login: string; host: string | null }>) {
  const [failed, setFailed] = useState(false);
  const src = host ? `${host.replace(/\/+$/, "")}/${encodeURIComponent(login)}.png?size=48` : null;
  return (
    <span className="relative inline-flex size-6 shrink-0 items-center justify-center overflow-hidden rounded-full bg-zinc-300 text-xs font-semibold uppercase text-zinc-800 dark:bg-zinc-700 dark:text-zinc-100">
      <span aria-hidden="true">{login.slice(0, 1)}</span>
      {src && !failed && (
        // eslint-disable-next-line @next/next/no-img-element -- a 24 px avatar from GitHub, not worth the image optimiser
        <img src={src} alt="" className="absolute inset-0 size-full" onError={() => setFailed(true)} />
      )}
    </span>
  );
}

/**
 * GitHub's header menu: an avatar button that discloses settings, sign out and sign out everywhere.
 * A disclosure (links and buttons keep their roles, Tab walks them) with arrow keys and Escape as well.
 */
export function UserMenu({ login, isAdmin = false }: Readonly<{ login: string; isAdmin?: boolean }>) {
  const host = useGitHubHost();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  const items = () => [
    ...(root.current?.querySelectorAll<HTMLElement>("[data-menu-items] a, [data-menu-items] button") ?? []),
  ];
  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  const onMenuKey = (event: KeyboardEvent) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      event.preventDefault();
      list[(to + list.length) % list.length]?.focus();
    };
    if (event.key === "Escape") {
      event.preventDefault();
      close(true);
    } else if (event.key === "ArrowDown") move(at + 1);
    else if (event.key === "ArrowUp") move(at - 1);
    else if (event.key === "Home") move(0);
    else if (event.key === "End") move(list.length - 1);
    else if (event.key === "Tab") setOpen(false);
  };

  const onSignOutEverywhere = async () => {
    setBusy(true);
    setError(null);
    const result = await signOutEverywhere({
      fetch: (input, init) => fetch(input, init),
      signOut: () => signOut({ callbackUrl: "/login" }),
    });
    if (result.kind === "failed") {
      setError(result.message);
      setBusy(false);
      setOpen(false);
    }
  };

  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={`Account menu for ${login}`}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
        className="flex items-center gap-1.5 rounded px-1.5 py-1 text-sm hover:bg-zinc-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-600 dark:hover:bg-zinc-800"
      >
        <Avatar login={login} host={host} />
        <span
          className="hidden max-w-32 truncate text-zinc-600 sm:inline dark:text-zinc-400"
          data-testid="viewer-login"
        >
          {login}
        </span>
        <span aria-hidden="true" className="text-xs">
          ▾
        </span>
      </button>
      {open && (
        <div
          id={menuId}
          data-menu-items
          onKeyDown={onMenuKey}
          className="absolute right-0 z-20 mt-1 w-56 rounded-md border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <p className="truncate px-3 py-1.5 text-xs text-zinc-600 dark:text-zinc-400">
            Signed in as <strong className="font-semibold">{login}</strong>
          </p>
          <hr className="my-1 border-zinc-200 dark:border-zinc-700" />
          {isAdmin && (
            <>
              <Link href="/settings/github-app" className={ITEM} onClick={() => close(false)}>
                Settings: GitHub App
              </Link>
              <Link href="/settings/writeback" className={ITEM} onClick={() => close(false)}>
                Settings: write-back
              </Link>
            </>
          )}
          {host && (
            <a
              href={`${host.replace(/\/+$/, "")}/settings/applications`}
              target="_blank"
              rel="noopener noreferrer"
              className={ITEM}
            >
              Your GitHub settings<span className="sr-only"> (opens in a new tab)</span>
            </a>
          )}
          <hr className="my-1 border-zinc-200 dark:border-zinc-700" />
          <button
            type="button"
            disabled={busy}
            onClick={() => void signOut({ callbackUrl: "/login" })}
            className={ITEM}
          >
            Sign out
          </button>
          <button type="button" disabled={busy} onClick={() => void onSignOutEverywhere()} className={ITEM}>
            Sign out everywhere
          </button>
        </div>
      )}
      {error && (
        <p
          role="alert"
          className="absolute right-0 top-full z-10 mt-1 w-64 text-right text-xs text-red-700 dark:text-red-400"
          data-testid="sign-out-error"
        >
          {error}
        </p>
      )}
    </div>
  );
}
