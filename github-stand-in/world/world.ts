import type { StandInTeam, StandInUser } from "../options";
import { key, parseFullName } from "./names";
import type { Role } from "./permissions";

export interface Repository {
  id: number;
  owner: string;
  name: string;
  fullName: string;
}

export interface Account {
  id: number;
  login: string;
  name: string | null;
  email: string | null;
  type: "User" | "Organization";
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
const FIRST_ORGANIZATION_ID = 9001;
const FIRST_GENERATED_USER_ID = 2001;

/** Users, owners, repositories and who may reach what. Names are stored as given; lookups ignore case. */
export class World {
  readonly users = new Map<string, UserRecord>();
  readonly repositories = new Map<string, Repository>();
  readonly organizations = new Map<string, Account>();

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

  /** Adds repositories given as "owner/name"; returns the ones that were not valid names. */
  addRepositories(fullNames: string[]): string[] {
    const rejected: string[] = [];
    for (const fullName of fullNames) {
      const parsed = parseFullName(fullName);
      if (!parsed) {
        rejected.push(fullName);
        continue;
      }
      if (this.repositories.has(key(fullName))) continue;
      const owner = this.ensureOrganization(parsed.owner);
      this.repositories.set(key(fullName), {
        id: FIRST_REPOSITORY_ID + this.repositories.size,
        owner: owner.login,
        name: parsed.name,
        fullName: `${owner.login}/${parsed.name}`,
      });
    }
    return rejected;
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
