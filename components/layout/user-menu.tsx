"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

export function UserMenu({ login }: Readonly<{ login: string }>) {
  const [busy, setBusy] = useState(false);
  const signOutEverywhere = async () => {
    setBusy(true);
    await fetch("/api/sessions", { method: "DELETE", headers: { "content-type": "application/json" }, body: "{}" });
    await signOut({ callbackUrl: "/login" });
  };
  return (
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
        onClick={() => void signOutEverywhere()}
        className="rounded px-2 py-1 hover:bg-zinc-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-zinc-800"
      >
        Sign out everywhere
      </button>
    </div>
  );
}
