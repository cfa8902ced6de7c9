import "server-only";
import type { AppOctokitInstance } from "@/lib/server/github/app";
import type { WriteContent } from "./content-budget";
import { checkRunBody, type DesiredCheckRun } from "./desired";

// The three check run requests write-back makes, as the App's installation (lib/server/github/app/: throttled,
// retried and timed out as GitHub advises). Creation alone is never retried by the client: GitHub may have created
// the run and lost the answer, and only a lookup can tell (send-job.ts).

/** `writeContent`: sends one write once the installation's content budget has room for it; every write goes through it. */
export type WritebackClient = {
  octokit: AppOctokitInstance;
  installationId: number;
  appId: number;
  writeContent: WriteContent;
};

export interface CheckRunApi {
  /** The App's run of this name and external id on the commit, newest first, or null. */
  find(run: DesiredCheckRun): Promise<bigint | null>;
  create(run: DesiredCheckRun): Promise<bigint>;
  update(remoteId: bigint, run: DesiredCheckRun): Promise<void>;
}

/** Runs of one name on one commit are few (one per execution of the pipeline there); this bounds a lookup. */
const MAX_LOOKUP_PAGES = 10;
const PER_PAGE = 100;

export function idOf(data: unknown): bigint {
  const id: unknown = typeof data === "object" && data !== null ? Reflect.get(data, "id") : undefined;
  if (typeof id !== "number" && typeof id !== "bigint") throw new Error("GitHub answered without an id");
  return BigInt(id);
}

export function checkRunApi(client: WritebackClient, repository: string): CheckRunApi {
  const [owner = "", repo = ""] = repository.split("/");
  const { octokit, appId, writeContent } = client;
  return {
    async find(run) {
      let best: bigint | null = null;
      for (let page = 1; page <= MAX_LOOKUP_PAGES; page++) {
        const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
          owner,
          repo,
          ref: run.headSha,
          check_name: run.name,
          app_id: appId,
          filter: "all",
          per_page: PER_PAGE,
          page,
        });
        for (const found of data.check_runs) {
          const id = BigInt(found.id);
          if (found.external_id === run.externalId && found.app?.id === appId && (best === null || id > best))
            best = id;
        }
        if (data.check_runs.length < PER_PAGE || page * PER_PAGE >= data.total_count) break;
      }
      return best;
    },
    async create(run) {
      const response = await writeContent(() =>
        octokit.request("POST /repos/{owner}/{repo}/check-runs", {
          owner,
          repo,
          ...checkRunBody(run),
          request: { retries: 0 },
        }),
      );
      return idOf(response.data);
    },
    async update(remoteId, run) {
      const { head_sha: _sha, ...body } = checkRunBody(run);
      await writeContent(() =>
        octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
          owner,
          repo,
          check_run_id: Number(remoteId),
          ...body,
        }),
      );
    },
  };
}
