import { WORLD_CREATED_AT, nodeId } from "../shapes/urls";
import { simpleUser } from "../shapes/user";
import type { Account } from "../world/world";

/** What a check run or suite says about the GitHub App that owns it (`integration`). */
export interface CheckApp {
  id: number;
  slug: string;
  name: string;
  owner: Account;
  description: string | null;
  /** The App's homepage (`external_url`), which a run without details_url links to. */
  url: string;
  permissions: Record<string, string>;
  events: string[];
}

/**
 * GitHub Actions is itself a GitHub App (id 15368 on github.com): the runs CI reports through the control plane
 * are its runs, so another App trying to change one meets GitHub's "can only be modified by the GitHub App that
 * created it".
 */
export const GITHUB_ACTIONS_APP: CheckApp = {
  id: 15368,
  slug: "github-actions",
  name: "GitHub Actions",
  owner: { id: 9919, login: "github", name: "GitHub", email: null, type: "Organization" },
  description: "Automate your workflow from idea to production",
  url: "https://github.com/features/actions",
  permissions: { actions: "write", checks: "write", contents: "write", deployments: "write", statuses: "write" },
  events: ["check_run", "check_suite", "push", "pull_request", "workflow_dispatch"],
};

/** `integration` (GitHub's App object) as check runs and suites embed it. */
export function integrationShape(app: CheckApp, base: string): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("App", app.id),
    owner: simpleUser(app.owner, base),
    name: app.name,
    description: app.description,
    external_url: app.url,
    html_url: `${base}/apps/${app.slug}`,
    created_at: WORLD_CREATED_AT,
    updated_at: WORLD_CREATED_AT,
    permissions: app.permissions,
    events: app.events,
  };
}
