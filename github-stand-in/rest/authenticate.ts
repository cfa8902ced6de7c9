import type { IncomingMessage } from "node:http";
import type { StandInState } from "../state";
import type { TokenRecord } from "../world/tokens";
import type { UserRecord } from "../world/world";

export type Authentication =
  { kind: "token"; token: TokenRecord; user: UserRecord } | { kind: "anonymous" } | { kind: "bad" };

// openid-client sends "Bearer", Octokit and PyGithub send "token"; GitHub accepts either, any case.
const AUTHORIZATION = /^(?:bearer|token)\s+([A-Za-z0-9_.-]{1,255})\s*$/i;

export function authenticate(req: IncomingMessage, state: StandInState): Authentication {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === "") return { kind: "anonymous" };
  const match = AUTHORIZATION.exec(header);
  const token = match?.[1] ? state.tokens.find(match[1]) : undefined;
  const user = token ? state.world.userById(token.userId) : undefined;
  return token && user ? { kind: "token", token, user } : { kind: "bad" };
}
