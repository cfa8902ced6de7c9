"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { signOutEverywhere } from "./sign-out-everywhere";

export function UserMenu({ login }: Readonly<{ login: string }>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
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
    }
  };
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex items-center gap-3 text-sm">
        <span className="hidden text-zinc-600 sm:inline dark:text-zinc-400" data-testid="viewer-login">
          {login}
        </span>
        <button
          type="button"
          disabled={busy}
          onClick={() => void signOut({ callbackUrl: "/login" })}
          className="rounded px-2 py-1 hover:bg-zinc-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-zinc-800"
        >
          Sign out
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => void onSignOutEverywhere()}
          className="rounded px-2 py-1 hover:bg-zinc-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-zinc-800"
        >
          Sign out everywhere
        </button>
      </div>
      {error && (
        <p
          role="alert"
          className="max-w-md text-right text-xs text-red-700 dark:text-red-400"
          data-testid="sign-out-error"
        >
          {error}
        </p>
      )}
    </div>
  );
}
