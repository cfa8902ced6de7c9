import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SignInButton } from "@/components/auth/sign-in-button";
import { getSession } from "@/lib/server/auth";
import { SESSION_COOKIE } from "@/lib/server/auth/session-policy";
import { hashSessionToken } from "@/lib/server/auth/session-token";
import { endedByGitHub } from "@/lib/server/auth/user-token";
import { db } from "@/lib/server/db/client";
import { GITHUB_WEB_URL } from "@/lib/server/github/config";

export const metadata: Metadata = { title: "Sign in" };

// next-auth reports failures as ?error=<code>; each gets a sentence a person can act on.
const MESSAGES: Record<string, string> = {
  OAuthCallback: "GitHub sign-in was cancelled or did not complete. You can try again.",
  access_denied: "You cancelled the sign-in on GitHub. Nothing was shared with Stageboard.",
  OAuthSignin: "Stageboard could not start the sign-in with GitHub. Check that GitHub is reachable and try again.",
  OAuthAccountNotLinked: "This GitHub account is linked to another Stageboard user.",
  SessionRequired: "Your session has ended. Sign in again.",
  Callback: "GitHub sign-in failed. Try again.",
  GitHubEnded:
    "GitHub ended your sign-in (it no longer renews it, for example after the authorization was revoked). Sign in again.",
};

/** Whether the browser's session cookie names a session that ended because GitHub refused to renew it. */
async function sessionEndedByGitHub(): Promise<boolean> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return token ? endedByGitHub(db, hashSessionToken(token)) : false;
}

type Props = { searchParams: Promise<{ error?: string; callbackUrl?: string }> };

export default async function LoginPage({ searchParams }: Readonly<Props>) {
  const { error, callbackUrl } = await searchParams;
  if (await getSession()) redirect("/");
  // No query to follow: the page is reached by the plain redirect of a signed-out page, so the cookie tells.
  const reason = error ?? ((await sessionEndedByGitHub()) ? "GitHubEnded" : undefined);
  const message = reason ? (MESSAGES[reason] ?? "Sign-in failed. Try again.") : null;
  const host = new URL(GITHUB_WEB_URL).host;
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-6 p-6">
      <div>
        <h1 className="text-2xl font-semibold">Stageboard</h1>
        <p className="mt-2 text-zinc-600 dark:text-zinc-400">
          Your CodePipeline deliveries, per GitHub repository. Sign in to see the repositories you can see on GitHub.
        </p>
      </div>
      {message && (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          {message}
        </p>
      )}
      <SignInButton callbackUrl={callbackUrl ?? "/"} />
      <p className="text-xs text-zinc-500 dark:text-zinc-400">Signs in at {host}.</p>
    </main>
  );
}
