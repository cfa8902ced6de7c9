import "server-only";
import { z } from "zod";
import { readPermissions, type PermissionLevel } from "./permissions";

// GitHub's `installation` object (GET /repos/{o}/{r}/installation, GET /app/installations) mapped to our own shape
// at this one boundary. Every field came from GitHub, so it is checked; what Stageboard does not use is dropped.

export interface Installation {
  id: number;
  account: { login: string; id: number; type: string };
  repositorySelection: "all" | "selected";
  permissions: Record<string, PermissionLevel>;
  events: string[];
  suspendedAt: Date | null;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

const installationSchema = z.object({
  id: z.number().int().positive(),
  // GitHub's description allows null (an enterprise installation); Stageboard reports on repositories, which have one.
  account: z.object({
    login: z.string().regex(LOGIN),
    id: z.number().int().positive(),
    type: z.string().max(32).optional(),
  }),
  repository_selection: z.enum(["all", "selected"]),
  permissions: z.unknown(),
  events: z.array(z.string().max(64)).max(200).optional(),
  suspended_at: z.string().nullable().optional(),
});

/** The installation in a GitHub answer, or null when the answer is not one. */
export function readInstallation(value: unknown): Installation | null {
  const parsed = installationSchema.safeParse(value);
  if (!parsed.success) return null;
  const { data } = parsed;
  const suspended = data.suspended_at ? new Date(data.suspended_at) : null;
  return {
    id: data.id,
    account: { login: data.account.login, id: data.account.id, type: data.account.type ?? "User" },
    repositorySelection: data.repository_selection,
    permissions: readPermissions(data.permissions),
    events: data.events ?? [],
    suspendedAt: suspended && !Number.isNaN(suspended.getTime()) ? suspended : null,
  };
}
