import type { StandInTeam, StandInUser } from "../options";
import { AppStore } from "./apps";
import { InstallationStore } from "./installations";
import { key, parseFullName } from "./names";
import type { Role } from "./permissions";

export interface Repository {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  /** What GitHub reports as `private`: true unless made public through the control plane. */
  private: boolean;
}

export interface Account {
  id: number;
  login: string;
  name: string | null;
  email: string | null;
  /** "Bot" is a GitHub App's own account, `<slug>[bot]`. */
  type: "User" | "Organization" | "Bot";
}

export interface UserRecord extends Account {
  type: "User";
  name: string;
  email: string;
  ownerGrants: Map<string, Role>;
  repositoryGrants: Map<string, Role>;
  orgs: Set<string>;
  teams: StandInTeam[];
}

const FIRST_REPOSITORY_ID = 70001;
/** Renamed and transferred repositories; the old name answers with a redirect to the id, as on GitHub. */
export type RepositoryMove =
  { kind: "moved"; repository: Repository; from: string } | { kind: "rejected"; reason: string };
const FIRST_ORGANIZATION_ID = 9001;
const FIRST_GENERATED_USER_ID = 2001;

/** Users, owners, repositories and who may reach what. Names are stored as given; lookups ignore case. */
export class World {
  readonly users = new Map<string, UserRecord>();
  readonly repositories = new Map<string, Repository>();
  readonly organizations = new Map<string, Account>();
  /**
   * Old names of renamed or transferred repositories (lower-cased) and the id they lead to. GitHub keeps them until
   * a repository is created at that name again, or the one they lead to is deleted.
   */
  readonly redirects = new Map<string, number>();
  /** GitHub Apps and where they are installed: what installation and App user tokens may reach. */
  readonly apps = new AppStore();
  readonly installations = new InstallationStore();
  // A counter, not the map's size: ids are never reused, even after a deletion (as on GitHub).
  private nextRepositoryId = FIRST_REPOSITORY_ID;

  constructor(users: StandInUser[]) {
    users.forEach((user, index) => this.addUser(user, index));
  }

  private addUser(input: StandInUser, index: number): void {
    const user: UserRecord = {
      id: input.id ?? FIRST_GENERATED_USER_ID + index,
      login: input.login,
      name: input.name,
      email: input.email ?? `${input.login.toLowerCase()}@example.com`,
      type: "User",
      ownerGrants: new Map(Object.entries(input.owners ?? {}).map(([o, r]) => [key(o), r])),
      repositoryGrants: new Map(Object.entries(input.repositories ?? {}).map(([n, r]) => [key(n), r])),
      orgs: new Set((input.orgs ?? []).map(key)),
      teams: input.teams ?? [],
    };
    this.users.set(key(user.login), user);
    for (const org of [...user.orgs, ...user.teams.map((t) => key(t.org))]) this.ensureOrganization(org);
  }

  /**
   * Adds repositories given as "owner/name" (private unless `visibility` says public; given for ones that exist, it
   * changes theirs); returns the ones that were not valid names.
   */
  addRepositories(fullNames: string[], visibility?: { public: boolean }): string[] {
    const rejected: string[] = [];
    for (const fullName of fullNames) {
      const parsed = parseFullName(fullName);
      if (!parsed) {
        rejected.push(fullName);
        continue;
      }
      const existing = this.repositories.get(key(fullName));
      if (existing) {
        if (visibility) existing.private = !visibility.public;
        continue;
      }
      const owner = this.ensureOrganization(parsed.owner);
      // A new repository at an old name takes the name back: the redirect ends there.
      this.redirects.delete(key(fullName));
      this.repositories.set(key(fullName), {
        id: this.nextRepositoryId++,
        owner: owner.login,
        name: parsed.name,
        fullName: `${owner.login}/${parsed.name}`,
        private: !visibility?.public,
      });
    }
    return rejected;
  }

  /**
   * Renames (same owner) or transfers (another owner) a repository: it keeps its id and its collaborators, the
   * old name redirects to it, and whoever reaches the new owner reaches it.
   */
  moveRepository(from: string, to: string): RepositoryMove {
    const source = parseFullName(from);
    const target = parseFullName(to);
    if (!source || !target) return { kind: "rejected", reason: "give repository and to as owner/name" };
    const repository = this.repositories.get(key(from));
    if (!repository) return { kind: "rejected", reason: "unknown repository" };
    if (key(from) !== key(to) && this.repositories.has(key(to)))
      return { kind: "rejected", reason: "that name is taken" };
    const owner = this.ensureOrganization(target.owner);
    const oldName = repository.fullName;
    this.repositories.delete(key(oldName));
    repository.owner = owner.login;
    repository.name = target.name;
    repository.fullName = `${owner.login}/${target.name}`;
    this.repositories.set(key(repository.fullName), repository);
    this.redirects.delete(key(repository.fullName));
    if (key(oldName) !== key(repository.fullName)) this.redirects.set(key(oldName), repository.id);
    for (const user of this.users.values()) {
      const role = user.repositoryGrants.get(key(oldName));
      if (role === undefined) continue;
      user.repositoryGrants.delete(key(oldName));
      user.repositoryGrants.set(key(repository.fullName), role);
    }
    return { kind: "moved", repository, from: oldName };
  }

  /** Deletes a repository with its collaborators and the redirects to it; its name is free for a new one. */
  deleteRepository(fullName: string): Repository | undefined {
    const repository = this.repositories.get(key(fullName));
    if (!repository) return undefined;
    this.repositories.delete(key(fullName));
    for (const [name, id] of this.redirects) if (id === repository.id) this.redirects.delete(name);
    for (const user of this.users.values()) user.repositoryGrants.delete(key(fullName));
    return repository;
  }

  repositoryById(id: number): Repository | undefined {
    for (const repository of this.repositories.values()) if (repository.id === id) return repository;
    return undefined;
  }

  /** The repository an old name redirects to, if the name has no repository of its own. */
  redirectOf(owner: string, name: string): Repository | undefined {
    const id = this.redirects.get(key(`${owner}/${name}`));
    return id === undefined ? undefined : this.repositoryById(id);
  }

  /**
   * Renames a user account (GitHub lets anyone do this): its id, tokens and grants stay, and the old login is free
   * for another account to take.
   */
  renameUser(login: string, to: string): UserRecord | "unknown" | "taken" {
    const user = this.user(login);
    if (!user) return "unknown";
    if (key(login) !== key(to) && this.account(to)) return "taken";
    const oldLogin = user.login;
    this.users.delete(key(oldLogin));
    user.login = to;
    this.users.set(key(to), user);
    for (const repository of [...this.repositories.values()]) {
      if (key(repository.owner) === key(oldLogin)) this.moveRepository(repository.fullName, `${to}/${repository.name}`);
    }
    for (const other of this.users.values()) {
      const role = other.ownerGrants.get(key(oldLogin));
      if (role === undefined) continue;
      other.ownerGrants.delete(key(oldLogin));
      other.ownerGrants.set(key(to), role);
    }
    return user;
  }

  userById(id: number): UserRecord | undefined {
    for (const user of this.users.values()) if (user.id === id) return user;
    return undefined;
  }

  private ensureOrganization(login: string): Account {
    const existing = this.organizations.get(key(login)) ?? this.users.get(key(login));
    if (existing) return existing;
    const org: Account = {
      id: FIRST_ORGANIZATION_ID + this.organizations.size,
      login,
      name: null,
      email: null,
      type: "Organization",
    };
    this.organizations.set(key(login), org);
    return org;
  }

  user(login: string): UserRecord | undefined {
    return this.users.get(key(login));
  }

  repository(owner: string, name: string): Repository | undefined {
    return this.repositories.get(key(`${owner}/${name}`));
  }

  account(login: string): Account | undefined {
    return this.users.get(key(login)) ?? this.organizations.get(key(login));
  }

  /** A per-repository grant wins over the owner grant; owners of personal repositories are admins. */
  roleOf(user: UserRecord, repository: Repository): Role {
    const direct = user.repositoryGrants.get(key(repository.fullName));
    if (direct) return direct;
    if (key(repository.owner) === key(user.login)) return "admin";
    return user.ownerGrants.get(key(repository.owner)) ?? "none";
  }

  /** An owner-wide grant replaces that owner's per-repository overrides, so "none" revokes everything there. */
  grantOwner(user: UserRecord, owner: string, role: Role): void {
    user.ownerGrants.set(key(owner), role);
    for (const name of [...user.repositoryGrants.keys()]) {
      if (name.startsWith(`${key(owner)}/`)) user.repositoryGrants.delete(name);
    }
  }

  grantRepository(user: UserRecord, repository: Repository, role: Role): void {
    user.repositoryGrants.set(key(repository.fullName), role);
  }

  /** Repositories the user can at least read, ordered by full name as GitHub's default sort does. */
  reachable(user: UserRecord): { repository: Repository; role: Role }[] {
    return [...this.repositories.values()]
      .map((repository) => ({ repository, role: this.roleOf(user, repository) }))
      .filter((entry) => entry.role !== "none")
      .sort((a, b) => key(a.repository.fullName).localeCompare(key(b.repository.fullName)));
  }
}
