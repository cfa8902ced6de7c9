import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { GitHubAppSettings } from "@/components/github-app/github-app-settings";
import { readSetupNotice } from "@/lib/github-app/setup-notices";
import { signInMode } from "@/lib/config/sign-in";
import { env } from "@/lib/env";
import { firstValues } from "@/lib/pipelines/schemas";
import { db } from "@/lib/server/db/client";
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
  return (
    <>
      <GitHubAppSettings view={view} notice={notice} />
      <SignInNote />
    </>
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
