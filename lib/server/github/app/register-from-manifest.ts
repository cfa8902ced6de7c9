import "server-only";
import { requireFreshAdmin } from "@/lib/server/auth/fresh-admin";
import type { SetupNotice } from "@/lib/github-app/setup-notices";
import { Prisma } from "@/lib/generated/prisma/client";
import { configuredKeyring } from "@/lib/server/auth/token-crypto";
import type { Viewer } from "@/lib/server/auth/visibility";
import { recordAttempt, recordOutcome, recordRefusal } from "@/lib/server/control/audit/record";
import type { Db } from "@/lib/server/db/client";
import { GITHUB_WEB_URL } from "@/lib/server/github/config";
import { logger } from "@/lib/server/logger";
import { convertManifestCode, type Conversion } from "./convert-manifest";
import { credentialsState, forgetCurrentApp } from "./current-app";
import { installationUrl } from "./manifest";
import { checkManifestState, stateKey, type StateBinding } from "./manifest-state";
import { storeRegistration } from "./stored-credentials";

// GET /api/github/app/manifest-callback behind the route: GitHub sent an administrator's browser back with a code.
// In order, each refusal before GitHub is asked anything: a Stageboard administrator now (asked of GitHub, not the
// cached flag), the state naming this very session, no App configured yet. Then the attempt is audited, the code
// exchanged once, and the credentials stored sealed together with the audited outcome.

export type ManifestCallbackResult =
  { kind: "registered"; installUrl: string | null } | { kind: "refused"; notice: SetupNotice };

const ACTION = "github-app-register";
const SUBJECT = { repository: null, repositoryGithubId: null, pipelineId: null, pipelineName: null };

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

export async function registerFromManifest(input: {
  db: Db;
  viewer: Viewer;
  binding: StateBinding;
  code: string;
  state: string;
  requestId: string;
  now?: number;
}): Promise<ManifestCallbackResult> {
  const { db, requestId } = input;
  const actor = await requireFreshAdmin(db, input.viewer, "Only Stageboard administrators set up the GitHub App");
  const refuse = async (notice: SetupNotice, reason: string): Promise<ManifestCallbackResult> => {
    await recordRefusal(db, { actor, action: ACTION, subject: SUBJECT, requestId, reason });
    return { kind: "refused", notice };
  };
  const keyring = configuredKeyring();
  if (!keyring) return refuse("no-encryption-key", "TOKEN_ENCRYPTION_KEY is not set");
  const check = checkManifestState(input.state, {
    keys: keyring.all.map((key) => stateKey(key.key)),
    binding: input.binding,
    nowMs: input.now ?? Date.now(),
  });
  if (check.kind === "invalid") return refuse("state-mismatch", `the state is ${check.reason}`);
  forgetCurrentApp();
  if ((await credentialsState()).kind !== "not-configured")
    return refuse("already-configured", "a GitHub App is configured already");

  const attemptId = await recordAttempt(db, {
    actor,
    action: ACTION,
    subject: SUBJECT,
    parameters: { github: GITHUB_WEB_URL },
    requestId,
  });
  let conversion: Conversion;
  try {
    conversion = await convertManifestCode(input.code);
  } catch (error) {
    logger.warn(
      { requestId, err: { name: error instanceof Error ? error.name : "Error" } },
      "manifest conversion failed",
    );
    await recordOutcome(db, attemptId, { outcome: "failed", error: "GitHub could not be reached" });
    return { kind: "refused", notice: "github-unreachable" };
  }
  if (conversion.kind === "refused") {
    await recordOutcome(db, attemptId, { outcome: "failed", error: `GitHub refused the code (${conversion.status})` });
    return { kind: "refused", notice: "code-rejected" };
  }
  const { app } = conversion;
  try {
    await db.$transaction(async (tx) => {
      await storeRegistration(tx, {
        appId: app.id,
        slug: app.slug,
        name: app.name,
        ownerLogin: app.ownerLogin,
        clientId: app.clientId,
        privateKey: app.pem,
        webhookSecret: app.webhookSecret,
        clientSecret: app.clientSecret,
        createdBy: actor,
      });
      await recordOutcome(tx, attemptId, { outcome: "succeeded" });
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another administrator's flow stored its App first; this one exists on GitHub without Stageboard using it.
    logger.warn(
      { requestId, appId: app.id, slug: app.slug },
      "GitHub App created but not stored: one was stored first",
    );
    await recordOutcome(db, attemptId, {
      outcome: "failed",
      error: `another App was stored first; ${app.slug} is unused`,
    });
    return { kind: "refused", notice: "already-configured" };
  }
  forgetCurrentApp();
  logger.info({ requestId, appId: app.id, slug: app.slug, by: actor.login }, "GitHub App registered from the manifest");
  return { kind: "registered", installUrl: installationUrl(GITHUB_WEB_URL, app.slug) };
}
