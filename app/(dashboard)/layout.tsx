import Link from "next/link";
import type { ReactNode } from "react";
import { ApprovalsNavLink } from "@/components/approvals/approvals-nav-link";
import { UserMenu } from "@/components/layout/user-menu";
import { CommitSearchBox } from "@/components/search/commit-search-box";
import { StaleBanner } from "@/components/live/stale-banner";
import { GitHubHost } from "@/components/ui/github-host";
import { KeyboardShortcuts } from "@/components/layout/keyboard-shortcuts";
import { env } from "@/lib/env";
import { listStaleTargets } from "@/lib/server/pipelines/staleness";
import { requireViewer } from "@/lib/server/session";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: Readonly<{ children: ReactNode }>) {
  const viewer = await requireViewer();
  const staleTargets = await listStaleTargets(viewer);
  return (
    <GitHubHost url={env.GITHUB_URL}>
      <div className="min-h-screen">
        <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <nav aria-label="Main" className="mx-auto flex max-w-7xl items-center justify-between gap-2 px-4 py-3">
            <Link href="/" className="shrink-0 font-semibold">
              Stageboard
            </Link>
            {/* One line down to a 375 px phone: the login hides behind the avatar and nothing wraps. */}
            <div className="flex min-w-0 items-center gap-1 sm:gap-2">
              <CommitSearchBox />
              <ApprovalsNavLink />
              {viewer.isAdmin && (
                // On a phone it lives in the account menu, which has it as a setting.
                <Link
                  href="/settings/github-app"
                  className="hidden whitespace-nowrap rounded px-2 py-1 text-sm hover:bg-zinc-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-600 sm:inline-block dark:hover:bg-zinc-800"
                >
                  GitHub App
                </Link>
              )}
              <UserMenu login={viewer.login} isAdmin={viewer.isAdmin} />
            </div>
          </nav>
        </header>
        {viewer.accessError && (
          <p
            role="alert"
            className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-center text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
          >
            {viewer.accessError}. Until it answers, Stageboard shows no repositories rather than ones you may no longer
            be allowed to see.
          </p>
        )}
        <StaleBanner targets={staleTargets} now={new Date()} />
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
        <KeyboardShortcuts />
      </div>
    </GitHubHost>
  );
}
