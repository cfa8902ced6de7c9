import "server-only";

// Which of the repositories Stageboard has pipelines for no installation of the App reaches: nothing can be reported
// on those. An installation on an account reaches all of its repositories, or the selected ones. GitHub compares
// owners and names without case. Pure.

export interface InstallationReach {
  account: string;
  selection: "all" | "selected";
  /** The selected repositories (owner/name); null when all of them. */
  repositories: readonly string[] | null;
}

export function uncoveredRepositories(
  repositories: readonly string[],
  installations: readonly InstallationReach[],
): string[] {
  const allOf = new Set(installations.filter((i) => i.selection === "all").map((i) => i.account.toLowerCase()));
  const selected = new Set(
    installations
      .flatMap((i) => (i.selection === "selected" ? (i.repositories ?? []) : []))
      .map((r) => r.toLowerCase()),
  );
  const seen = new Set<string>();
  return repositories
    .filter((fullName) => {
      const key = fullName.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      const owner = key.split("/")[0] ?? "";
      return !allOf.has(owner) && !selected.has(key);
    })
    .sort((a, b) => a.localeCompare(b));
}
