"use client";

import { useEffect } from "react";

export default function DashboardError({
  error,
  reset,
}: Readonly<{ error: Error & { digest?: string }; reset: () => void }>) {
  useEffect(() => {
    // The server already logged it; the digest lets an operator find that log line.
    console.error(error.digest ?? error.message);
  }, [error]);
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-300 bg-red-50 p-6 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <h1 className="font-semibold">This page could not be loaded</h1>
      <p className="mt-1 text-sm">
        Stageboard could not read its data just now.{error.digest ? ` Reference: ${error.digest}.` : ""}
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-3 rounded-md bg-red-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700"
      >
        Try again
      </button>
    </div>
  );
}
