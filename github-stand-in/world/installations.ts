import type { AppPermissions } from "./app-permissions";
import { withMetadata } from "./app-permissions";
import type { AppRecord } from "./apps";
import { key } from "./names";
import type { Account, Repository } from "./world";

/** An App installed on one account, on all of its repositories or on a selection. */
export interface InstallationRecord {
  id: number;
  appId: number;
  account: Account;
  repositorySelection: "all" | "selected";
  /** Meaningful only for "selected"; ids, so a rename keeps the repository in. */
  repositoryIds: Set<number>;
  /** What the account granted. When the App asks for more, this stays as it was until the account approves. */
  permissions: AppPermissions;
  events: string[];
  createdAt: string;
  updatedAt: string;
}

export type RepositoryChoice = "all" | Repository[];

const FIRST_INSTALLATION_ID = 520001;

/** Installations by id; one per App and account, as on GitHub. */
export class InstallationStore {
  private readonly installations = new Map<number, InstallationRecord>();
  private nextId = FIRST_INSTALLATION_ID;

  /**
   * Installs the App on the account, or changes which repositories an existing installation has. A new installation
   * grants what the App asks for now; an existing one keeps its grant (approving is a separate step).
   */
  install(input: { app: AppRecord; account: Account; repositories: RepositoryChoice; at: string; id?: number }): {
    installation: InstallationRecord;
    created: boolean;
  } {
    const existing = this.onAccount(input.app.id, input.account.login);
    const selection = input.repositories === "all" ? "all" : "selected";
    const ids = new Set(input.repositories === "all" ? [] : input.repositories.map((r) => r.id));
    if (existing) {
      existing.repositorySelection = selection;
      existing.repositoryIds = ids;
      existing.updatedAt = input.at;
      return { installation: existing, created: false };
    }
    const installation: InstallationRecord = {
      id: input.id ?? this.nextId,
      appId: input.app.id,
      account: input.account,
      repositorySelection: selection,
      repositoryIds: ids,
      permissions: withMetadata(input.app.permissions),
      events: [...input.app.events],
      createdAt: input.at,
      updatedAt: input.at,
    };
    this.installations.set(installation.id, installation);
    this.nextId = Math.max(this.nextId, installation.id + 1);
    return { installation, created: true };
  }

  /** The account accepts what the App asks for now. */
  approve(installation: InstallationRecord, app: AppRecord, at: string): void {
    installation.permissions = withMetadata(app.permissions);
    installation.events = [...app.events];
    installation.updatedAt = at;
  }

  uninstall(id: number): InstallationRecord | undefined {
    const installation = this.installations.get(id);
    this.installations.delete(id);
    return installation;
  }

  byId(id: number): InstallationRecord | undefined {
    return this.installations.get(id);
  }

  ofApp(appId: number): InstallationRecord[] {
    return [...this.installations.values()].filter((i) => i.appId === appId).sort((a, b) => a.id - b.id);
  }

  all(): InstallationRecord[] {
    return [...this.installations.values()].sort((a, b) => a.id - b.id);
  }

  onAccount(appId: number, login: string): InstallationRecord | undefined {
    return this.ofApp(appId).find((i) => key(i.account.login) === key(login));
  }
}

/**
 * The repositories an installation reaches now, by full name: the account's own repositories, all of them or the
 * selected ones. A repository transferred to another owner leaves the installation, as on GitHub.
 */
export function installationRepositories(
  installation: InstallationRecord,
  repositories: Iterable<Repository>,
): Repository[] {
  return [...repositories]
    .filter((r) => key(r.owner) === key(installation.account.login))
    .filter((r) => installation.repositorySelection === "all" || installation.repositoryIds.has(r.id))
    .sort((a, b) => key(a.fullName).localeCompare(key(b.fullName)));
}

export function installationCovers(installation: InstallationRecord, repository: Repository): boolean {
  if (key(repository.owner) !== key(installation.account.login)) return false;
  return installation.repositorySelection === "all" || installation.repositoryIds.has(repository.id);
}
