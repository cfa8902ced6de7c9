import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { ExternalLink } from "@/components/ui/external-link";
import { PageHeader } from "@/components/ui/page-header";
import { CARD, MUTED } from "@/components/ui/styles";
import { SETUP_NOTICES, type SetupNotice } from "@/lib/github-app/setup-notices";
import type { SetupView } from "@/lib/server/github/app/setup-view";
import { InstallationsList } from "./installations-list";
import { ManifestForm } from "./manifest-form";

type GitHubAppSettingsView = SetupView;

const describe = (permissions: Record<string, string>) =>
  Object.entries(permissions)
    .map(([name, level]) => `${name}: ${level}`)
    .join(", ");

function Notice({ notice }: Readonly<{ notice: SetupNotice }>) {
  const { tone, text } = SETUP_NOTICES[notice];
  const colours =
    tone === "success"
      ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
      : "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100";
  return (
    <p role={tone === "success" ? "status" : "alert"} className={`rounded-md border px-3 py-2 text-sm ${colours}`}>
      {text}
    </p>
  );
}

function NotConfigured({ view }: Readonly<{ view: Extract<GitHubAppSettingsView, { kind: "not-configured" }> }>) {
  const { form } = view;
  return (
    <section aria-labelledby="create-heading" className={`${CARD} space-y-3 p-4`}>
      <h2 id="create-heading" className="font-medium">
        Create Stageboard&apos;s GitHub App
      </h2>
      <p className={`text-sm ${MUTED}`}>
        Stageboard reports CodePipeline to GitHub (checks, commit statuses, deployments) as a GitHub App. GitHub creates
        it from this description in one step; its credentials come back to Stageboard and are stored encrypted. To use
        an App you already have, set GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_WEBHOOK_SECRET instead.
      </p>
      {view.formProblem && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {view.formProblem}
        </p>
      )}
      {form && (
        <>
          <ul className="list-inside list-disc text-sm" data-testid="manifest-summary">
            <li>Permissions: {describe(form.permissions)}</li>
            <li>Events: {form.events.join(", ")}</li>
            <li>
              Webhook: {form.webhookUrl}
              {!form.webhookActive &&
                " (inactive: GitHub cannot reach a loopback address; turn it on once Stageboard has a public one)"}
            </li>
          </ul>
          <ManifestForm
            manifest={form.manifest}
            githubUrl={form.githubUrl}
            state={form.state}
            userAction={form.userAction}
          />
        </>
      )}
    </section>
  );
}

function Configured({ view }: Readonly<{ view: Extract<GitHubAppSettingsView, { kind: "configured" }> }>) {
  const { github } = view;
  const origin =
    view.source === "environment"
      ? "Configured by GITHUB_APP_ID and the other GITHUB_APP_* settings."
      : `Created on this page${view.registeredBy ? ` by ${view.registeredBy.login} on ${view.registeredBy.at.toISOString().slice(0, 10)}` : ""}; its credentials are stored encrypted.`;
  return (
    <div className="space-y-6">
      <section aria-labelledby="app-heading" className={`${CARD} space-y-2 p-4`}>
        <h2 id="app-heading" className="font-medium" data-testid="app-name">
          {github ? <ExternalLink href={github.appUrl}>{github.name}</ExternalLink> : `GitHub App ${view.appId}`}
        </h2>
        <p className={`text-sm ${MUTED}`}>
          App id {view.appId}. {origin}
        </p>
        {github && <p className="text-sm">Asks for: {describe(github.permissions)}</p>}
        <p className="text-sm">
          <Link href="/settings/writeback" className="text-sky-700 underline dark:text-sky-400">
            Write-back queue
          </Link>
          : what Stageboard still has to tell GitHub, and what it gave up on.
        </p>
        {view.problem && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {view.problem}
          </p>
        )}
      </section>
      {github && (
        <section aria-labelledby="installations-heading" className="space-y-3">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="installations-heading" className="font-medium">
              Installations
            </h2>
            {github.installUrl && (
              <ExternalLink href={github.installUrl} className="text-sm">
                Install on another account
              </ExternalLink>
            )}
          </div>
          {github.installations.length === 0 ? (
            <EmptyState title="Not installed anywhere yet">
              Install it on every repository whose pipelines matter: nothing is reported to GitHub before that.
            </EmptyState>
          ) : (
            <InstallationsList installations={github.installations} />
          )}
        </section>
      )}
      {github && (
        <section aria-labelledby="uncovered-heading" className="space-y-2">
          <h2 id="uncovered-heading" className="font-medium">
            Repositories with pipelines the App cannot reach
          </h2>
          {github.uncovered.length === 0 ? (
            <p className={`text-sm ${MUTED}`} data-testid="uncovered-none">
              Every repository with pipelines in Stageboard is covered by an installation.
            </p>
          ) : (
            <>
              <p className={`text-sm ${MUTED}`}>
                Install the App on every repository whose pipelines matter; nothing is reported on these:
              </p>
              <ul className="list-inside list-disc text-sm" data-testid="uncovered">
                {github.uncovered.map((repository) => (
                  <li key={repository}>{repository}</li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </div>
  );
}

/** The GitHub App setup page for Stageboard administrators. */
export function GitHubAppSettings({
  view,
  notice,
}: Readonly<{ view: GitHubAppSettingsView; notice: SetupNotice | null }>) {
  return (
    <div className="space-y-6">
      <PageHeader crumbs={[{ label: "Settings" }]} title="GitHub App" />
      {notice && <Notice notice={notice} />}
      {view.kind === "not-configured" && <NotConfigured view={view} />}
      {view.kind === "unusable" && (
        <p role="alert" className={`${CARD} p-4 text-sm text-red-700 dark:text-red-400`}>
          The GitHub App {view.source === "environment" ? "configured by GITHUB_APP_*" : "stored by the setup page"}{" "}
          cannot be used: {view.reason}
        </p>
      )}
      {view.kind === "configured" && <Configured view={view} />}
    </div>
  );
}
