"use client";

import { useState } from "react";
import { manifestFormAction, parseManifestOwner } from "@/lib/github-app/manifest-form";
import { BUTTON, INPUT, MUTED } from "@/components/ui/styles";

type Props = {
  manifest: string;
  githubUrl: string;
  state: string;
  userAction: string;
};

/**
 * The manifest flow's first step: a plain form posting the manifest to GitHub's creation page, for the admin's own
 * account or an organisation; GitHub shows what it asks for, lets the name be changed, and sends the browser back.
 */
export function ManifestForm({ manifest, githubUrl, state, userAction }: Readonly<Props>) {
  const [ownerKind, setOwnerKind] = useState<"user" | "organization">("organization");
  const [organization, setOrganization] = useState("");
  const owner = ownerKind === "user" ? { kind: "user" as const } : parseManifestOwner(organization);
  const usable = owner !== null && !(ownerKind === "organization" && organization.trim() === "");
  const action = owner && usable ? manifestFormAction({ githubUrl, owner, state }) : userAction;
  return (
    <form method="post" action={action} className="space-y-3" data-testid="manifest-form">
      <input type="hidden" name="manifest" value={manifest} />
      <fieldset className="space-y-2 text-sm">
        <legend className="mb-1 font-medium">Owner of the App</legend>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="owner-kind"
            checked={ownerKind === "organization"}
            onChange={() => setOwnerKind("organization")}
          />
          An organisation you own:
          <input
            aria-label="Organisation"
            className={INPUT}
            value={organization}
            maxLength={39}
            onChange={(event) => {
              setOrganization(event.target.value);
              setOwnerKind("organization");
            }}
            placeholder="acme"
          />
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="owner-kind" checked={ownerKind === "user"} onChange={() => setOwnerKind("user")} />
          Your own account
        </label>
      </fieldset>
      <p className={`text-sm ${MUTED}`}>
        The App is private: it installs only on the account that owns it. Choose the organisation whose repositories it
        reports on (for several organisations, make it public on its GitHub settings page afterwards).
      </p>
      {ownerKind === "organization" && organization.trim() !== "" && owner === null && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          That is not a GitHub organisation name.
        </p>
      )}
      <button type="submit" className={BUTTON} disabled={!usable}>
        Create the GitHub App on GitHub
      </button>
    </form>
  );
}
