"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useApprovalCount } from "./hooks/use-approvals";

/** The header's "Approvals" link with how many wait (and how many the viewer may decide). */
export function ApprovalsNavLink() {
  const pathname = usePathname();
  const { data } = useApprovalCount();
  const pending = data?.pending ?? 0;
  const decidable = data?.decidable ?? 0;
  const label = data ? `Approvals: ${pending} waiting${decidable ? `, ${decidable} for you` : ""}` : "Approvals";
  return (
    <Link
      href="/approvals"
      aria-label={label}
      aria-current={pathname === "/approvals" ? "page" : undefined}
      className="flex items-center gap-1.5 rounded px-2 py-1 text-sm hover:bg-zinc-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-600 dark:hover:bg-zinc-800"
    >
      Approvals
      {pending > 0 && (
        <span
          data-testid="approvals-count"
          className={`min-w-5 rounded-full px-1.5 text-center text-xs font-semibold ${decidable ? "bg-amber-500 text-amber-950" : "bg-zinc-200 text-zinc-800 dark:bg-zinc-700 dark:text-zinc-100"}`}
        >
          {pending}
        </span>
      )}
    </Link>
  );
}
