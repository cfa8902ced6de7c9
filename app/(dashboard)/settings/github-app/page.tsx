import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { GitHubAppSettings } from "@/components/github-app/github-app-settings";
import { readSetupNotice } from "@/lib/github-app/setup-notices";
import { signInMode } from "@/lib/config/sign-in";
import { env } from "@/lib/env";
import { firstValues } from "@/lib/pipelines/schemas";
import { db } from "@/lib/server/db/client";
import { githubApp } from "@/lib/server/github/app";
import { sessionBinding } from "@/lib/server/github/app/session-binding";
import { loadSetupView } from "@/lib/server/github/app/setup-view";
import { requireViewer } from "@/lib/server/session";

export const metadata: Metadata = { title: "GitHub App" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function GitHubAppSettingsPage({ searchParams }: Readonly<Props>) {
  const viewer = await requireViewer("/settings/github-app");
  // Administrators only; to anyone else the page does not exist.
  if (!viewer.isAdmin) notFound();
  const query = firstValues(await searchParams);
  // GitHub's setup redirect after an installation carries setup_action (its installation_id is not trusted or used).
  const installed = query.setup_action === "install" || query.setup_action === "update";
  const notice = readSetupNotice(query.setup) ?? (installed ? "installed" : null);
  const view = await loadSetupView({ db, binding: await sessionBinding(viewer) });
  const appConfigured = (await githubApp()) !== null;
  return (
    <>
      <GitHubAppSettings view={view} notice={notice} />
      <WebhooksNote appConfigured={appConfigured} />
      <SignInNote />
    </>
  );
}

/**
 * GitHub sends webhooks to Apps only: an instance with just the OAuth App gets no pushes, no check events and no
 * clicks on its check runs' buttons, and is told so here rather than left to wonder why nothing arrives.
 */
function WebhooksNote({ appConfigured }: Readonly<{ appConfigured: boolean }>) {
  return (
    <section
      aria-labelledby="webhooks-heading"
      className="mx-auto max-w-4xl px-6 pb-4 text-sm"
      data-testid="webhooks-mode"
    >
      <h2 id="webhooks-heading" className="text-base font-semibold">
        Webhooks
      </h2>
      {appConfigured ? (
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          GitHub sends this App&apos;s webhooks to /api/github/webhooks: pushes sync the pipelines that watch their
          branch, and clicks on an approval check run&apos;s Approve and Reject buttons (or a re-run of a failed
          execution&apos;s run) are decided here under the same policy as the dashboard.
        </p>
      ) : (
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          Only the OAuth App is configured, and GitHub sends webhooks to GitHub Apps only: syncs on push, check-gated
          releases, and approving or re-running from GitHub&apos;s check runs need the GitHub App. Register it above.
        </p>
      )}
    </section>
  );
}

/** Which sign-in the instance uses (GITHUB_SIGN_IN) and, with the App's, what that means for who sees what. */
function SignInNote() {
  const app = signInMode(env) === "github-app";
  return (
    <section
      aria-labelledby="sign-in-heading"
      className="mx-auto max-w-4xl px-6 pb-8 text-sm"
      data-testid="sign-in-mode"
    >
      <h2 id="sign-in-heading" className="text-base font-semibold">
        Sign-in
      </h2>
      {app ? (
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          People sign in through this GitHub App. Each person sees only the repositories they can see among those the
          App is installed on: install it on every repository whose pipelines matter.
        </p>
      ) : (
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          People sign in through the OAuth App (GITHUB_CLIENT_ID) and see every repository they can read on GitHub. Set
          GITHUB_SIGN_IN=github-app to sign in through this App instead.
        </p>
      )}
    </section>
  );
}
