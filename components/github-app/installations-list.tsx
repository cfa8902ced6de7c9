import { ExternalLink } from "@/components/ui/external-link";
import { CARD, MUTED } from "@/components/ui/styles";
import type { InstallationView } from "@/lib/server/github/app/setup-view";

/** Each installation: where it is, what it reaches, and what it has not approved of the App's permissions yet. */
export function InstallationsList({ installations }: Readonly<{ installations: InstallationView[] }>) {
  return (
    <ul className="space-y-3" aria-label="Installations">
      {installations.map((installation) => (
        <li key={installation.id} className={`${CARD} space-y-2 p-4`} data-testid="installation">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <p className="font-medium">
              <span data-testid="installation-account">{installation.account}</span>{" "}
              <span className={`text-sm font-normal ${MUTED}`}>
                ({installation.accountType === "Organization" ? "organisation" : "user"})
              </span>
            </p>
            <ExternalLink href={installation.settingsUrl} className="text-sm">
              Configure on GitHub
            </ExternalLink>
          </div>
          {installation.suspended && (
            <p role="alert" className="text-sm text-amber-800 dark:text-amber-200">
              Suspended: GitHub gives it no tokens until an owner of {installation.account} unsuspends it.
            </p>
          )}
          <p className="text-sm" data-testid="installation-repositories">
            {installation.selection === "all" ? (
              <>All repositories of {installation.account}</>
            ) : (
              <>
                Selected repositories:{" "}
                {installation.repositories && installation.repositories.length > 0
                  ? installation.repositories.join(", ")
                  : "none"}
                {installation.repositoriesCut && " (and more)"}
              </>
            )}
          </p>
          {installation.unapproved.length === 0 ? (
            <p className={`text-sm ${MUTED}`} data-testid="installation-permissions">
              Has every permission the App asks for.
            </p>
          ) : (
            <div className="text-sm" data-testid="installation-permissions">
              <p className="text-amber-800 dark:text-amber-200">
                Not approved yet (an owner of {installation.account} accepts them on GitHub):
              </p>
              <ul className="list-inside list-disc">
                {installation.unapproved.map((gap) => (
                  <li key={gap.name}>
                    {gap.name}: {gap.requested} (has {gap.granted ?? "none"})
                  </li>
                ))}
              </ul>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
