import "server-only";
import { statusBody, type DesiredStatus } from "./desired";
import type { WritebackClient } from "./github-check-runs";

// The commit status requests write-back makes, as the App's installation.

export interface StatusApi {
  /** The context's latest status on the commit, as GitHub's combined status shows it, or null. */
  latest(
    status: DesiredStatus,
  ): Promise<{ state: string; description: string | null; targetUrl: string | null } | null>;
  create(status: DesiredStatus): Promise<void>;
}

const PER_PAGE = 100;
const MAX_PAGES = 10;

export function statusApi(client: WritebackClient, repository: string): StatusApi {
  const [owner = "", repo = ""] = repository.split("/");
  const { octokit, writeContent } = client;
  return {
    async latest(status) {
      for (let page = 1; page <= MAX_PAGES; page++) {
        const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/status", {
          owner,
          repo,
          ref: status.sha,
          per_page: PER_PAGE,
          page,
        });
        const found = data.statuses.find((s) => s.context === status.context);
        if (found) return { state: found.state, description: found.description, targetUrl: found.target_url };
        if (data.statuses.length < PER_PAGE) break;
      }
      return null;
    },
    async create(status) {
      await writeContent(() =>
        octokit.request("POST /repos/{owner}/{repo}/statuses/{sha}", {
          owner,
          repo,
          sha: status.sha,
          ...statusBody(status),
        }),
      );
    },
  };
}
