import "server-only";
import { activeTeamMember, currentAccount, memberOfOrganization, resolveLogin } from "@/lib/server/auth/github-access";
import type { Db } from "@/lib/server/db/client";
import { loadAdminPins, pinAdminLogin } from "@/lib/server/identity/admin-pins";
import { logger } from "@/lib/server/logger";

// Who is a Stageboard administrator (sees pipelines without a GitHub repository): the STAGEBOARD_ADMINS
// entries, matched on the GitHub account id, never on a login, which its owner can change and someone else
// then take:
// - `id:<n>`: the account with that id;
// - `<login>`: the account the login first resolved to (GET /users/{login}), pinned in Postgres;
// - `org:<org>`, `team:<org>/<team>`: members, as GitHub reports them for the account's token (the team
//   check asks about the token's current login, read from GitHub, not the one stored at sign-in).

export type AdminRule =
  | { kind: "id"; githubId: bigint }
  | { kind: "login"; login: string }
  | { kind: "org"; org: string }
  | { kind: "team"; org: string; team: string };

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,98})$/;
const MAX_ID = 9_223_372_036_854_775_807n;

/** One STAGEBOARD_ADMINS entry, or null when it is none of the forms above (config validation refuses those). */
export function parseAdminEntry(entry: string): AdminRule | null {
  const [prefix, rest] = entry.includes(":")
    ? [entry.slice(0, entry.indexOf(":")), entry.slice(entry.indexOf(":") + 1)]
    : [null, entry];
  if (prefix === null) return NAME.test(rest) ? { kind: "login", login: rest.toLowerCase() } : null;
  if (prefix === "id") {
    if (!/^[1-9]\d{0,18}$/.test(rest) || BigInt(rest) > MAX_ID) return null;
    return { kind: "id", githubId: BigInt(rest) };
  }
  if (prefix === "org") return NAME.test(rest) ? { kind: "org", org: rest.toLowerCase() } : null;
  if (prefix === "team") {
    const [org = "", team = "", ...extra] = rest.split("/");
    return NAME.test(org) && NAME.test(team) && extra.length === 0 ? { kind: "team", org, team } : null;
  }
  return null;
}

/** The account ids the login entries are pinned to, resolving (and pinning) those not pinned yet. */
async function pinnedLoginIds(db: Db, token: string, logins: string[]): Promise<bigint[]> {
  const pins = await loadAdminPins(db, logins);
  for (const login of logins.filter((l) => !pins.has(l))) {
    // An entry GitHub cannot resolve now (no such account, or GitHub failing) names nobody until it can.
    const id = await resolveLogin(token, login).catch((err: unknown) => {
      logger.warn({ reason: err instanceof Error ? err.message : String(err) }, "administrator login not resolved");
      return null;
    });
    if (id !== null) pins.set(login, await pinAdminLogin(db, login, id));
  }
  return [...pins.values()];
}

/** Whether the user (by their GitHub account id) matches STAGEBOARD_ADMINS; asks GitHub only what the entries need. */
export async function isConfiguredAdmin(
  db: Db,
  token: string,
  userId: string,
  entries: readonly string[],
): Promise<boolean> {
  const rules = entries.map(parseAdminEntry).filter((rule) => rule !== null);
  if (rules.length === 0) return false;
  const user = await db.user.findUnique({ where: { id: userId }, select: { githubId: true } });
  if (!user) return false;
  const me = user.githubId;
  if (rules.some((rule) => rule.kind === "id" && rule.githubId === me)) return true;
  const logins = rules.flatMap((rule) => (rule.kind === "login" ? [rule.login] : []));
  if (logins.length && (await pinnedLoginIds(db, token, logins)).includes(me)) return true;
  const orgs = rules.flatMap((rule) => (rule.kind === "org" ? [rule.org] : []));
  if (orgs.length && (await memberOfOrganization(token, orgs))) return true;
  const teams = rules.flatMap((rule) => (rule.kind === "team" ? [rule] : []));
  if (teams.length === 0) return false;
  const account = await currentAccount(token);
  // A token that is not this user's account's grants nothing.
  if (account.githubId !== me) return false;
  for (const { org, team } of teams) if (await activeTeamMember(token, org, team, account.login)) return true;
  return false;
}
