import "server-only";
import type { Db } from "@/lib/server/db/client";
import { logger } from "@/lib/server/logger";
import { classifyInstallationFailure } from "./installation-cache";
import { forgetInstallation, forgetRepository, markInstallationStale } from "./installation-store";
import { failureStatus, failureUrl } from "./request-failure";
import type { TokenCache } from "./token-cache";

// What a refusal GitHub gave an installation's client means for the installations cache, acted on before the error
// reaches the caller: the next lookup then asks GitHub instead of handing out the same dead installation.

export async function handleInstallationFailure(
  error: unknown,
  context: { db: Db; appId: number; installationId: number; tokens: TokenCache },
): Promise<void> {
  const status = failureStatus(error);
  const url = failureUrl(error);
  if (status === null || url === null) return;
  const verdict = classifyInstallationFailure({ status, url });
  try {
    if (verdict.kind === "installation-gone") {
      context.tokens.forgetInstallation(verdict.installationId);
      await forgetInstallation(context.db, verdict.installationId);
      logger.info({ installationId: verdict.installationId }, "GitHub App no longer installed: forgotten");
    } else if (verdict.kind === "token-refused") {
      context.tokens.forgetInstallation(context.installationId);
      await markInstallationStale(context.db, context.installationId);
    } else if (verdict.kind === "repository-unreachable") {
      await forgetRepository(context.db, { appId: context.appId, fullName: verdict.fullName });
    }
  } catch (cacheError) {
    // The cache is an optimisation: failing to update it must not hide GitHub's own answer from the caller.
    logger.warn(
      {
        installationId: context.installationId,
        err: { name: cacheError instanceof Error ? cacheError.name : "Error" },
      },
      "GitHub App installations cache not updated",
    );
  }
}
