// What one sync step needs: the database, the target's API (budgeted), settings, a clock and a logger.
import "server-only";
import type { CodePipelineApi } from "@/lib/server/aws/codepipeline-api";
import type { Db } from "@/lib/server/db/client";
import type { Logger } from "@/lib/server/logger";
import type { SyncSettings } from "../config/settings";

export interface SyncContext {
  db: Db;
  api: CodePipelineApi;
  logger: Logger;
  settings: SyncSettings;
  now: () => number;
  random: () => number;
  targetId: string;
}
