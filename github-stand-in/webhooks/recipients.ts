// Which Apps GitHub sends an event to (pure): an App with an active webhook URL, installed on the repository, whose
// installation is subscribed to the event and holds the permission the event needs.
import type { PermissionLevel } from "../world/app-permissions";
import { levelAtLeast } from "../world/app-permissions";
import type { AppRecord } from "../world/apps";
import type { InstallationRecord } from "../world/installations";
import { installationCovers } from "../world/installations";
import type { Repository } from "../world/world";

export type WebhookEvent = "push" | "check_run" | "check_suite" | "status";

/**
 * The permission behind each event, as GitHub's App settings list them: push under Contents, check_run and
 * check_suite under Checks, status under Commit statuses.
 */
export const EVENT_PERMISSION: Record<WebhookEvent, string> = {
  push: "contents",
  check_run: "checks",
  check_suite: "checks",
  status: "statuses",
};

export interface Recipient {
  app: AppRecord;
  installation: InstallationRecord;
}

export interface RecipientQuery {
  event: WebhookEvent;
  repository: Repository;
  /** `requested_action`, `rerequested` and a suite's `requested` go to one App only: the one the run or suite is of. */
  onlyAppId?: number;
  /** check_suite `requested` goes to Apps that may write checks; other events need read. */
  level?: PermissionLevel;
}

export function recipients(
  apps: readonly AppRecord[],
  installations: readonly InstallationRecord[],
  query: RecipientQuery,
): Recipient[] {
  const permission = EVENT_PERMISSION[query.event];
  const level = query.level ?? "read";
  const found: Recipient[] = [];
  for (const app of apps) {
    if (!app.webhookUrl || !app.webhookActive) continue;
    if (query.onlyAppId !== undefined && app.id !== query.onlyAppId) continue;
    const installation = installations.find((i) => i.appId === app.id && installationCovers(i, query.repository));
    if (!installation || !installation.events.includes(query.event)) continue;
    if (!levelAtLeast(installation.permissions[permission], level)) continue;
    found.push({ app, installation });
  }
  return found;
}
