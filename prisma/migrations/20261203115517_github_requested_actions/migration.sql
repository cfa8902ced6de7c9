-- CreateTable
CREATE TABLE "GitHubRequestedAction" (
    "id" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "senderGithubId" BIGINT NOT NULL,
    "senderLogin" TEXT NOT NULL,
    "installationId" BIGINT,
    "repository" TEXT NOT NULL,
    "checkRunId" BIGINT NOT NULL,
    "pipelineId" TEXT NOT NULL,
    "executionId" TEXT NOT NULL,
    "stageName" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "result" TEXT,
    "outcome" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "GitHubRequestedAction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "GitHubRequestedAction_deliveryId_key" ON "GitHubRequestedAction"("deliveryId");

-- CreateIndex
CREATE INDEX "GitHubRequestedAction_state_nextAttemptAt_idx" ON "GitHubRequestedAction"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "GitHubRequestedAction_pipelineId_executionId_stageName_idx" ON "GitHubRequestedAction"("pipelineId", "executionId", "stageName");
