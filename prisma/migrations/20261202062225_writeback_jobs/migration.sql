-- CreateTable
CREATE TABLE "WritebackJob" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "repository" TEXT NOT NULL,
    "headSha" TEXT NOT NULL,
    "pipelineId" TEXT NOT NULL,
    "executionId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "desired" JSONB NOT NULL,
    "desiredVersion" INTEGER NOT NULL DEFAULT 1,
    "sentVersion" INTEGER NOT NULL DEFAULT 0,
    "checkRunId" BIGINT,
    "installationId" BIGINT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimId" TEXT,
    "lastError" TEXT,
    "lastStatusCode" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "WritebackJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WritebackJob_state_nextAttemptAt_idx" ON "WritebackJob"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WritebackJob_repository_headSha_pipelineId_seq_idx" ON "WritebackJob"("repository", "headSha", "pipelineId", "seq");

-- CreateIndex
CREATE INDEX "WritebackJob_state_updatedAt_idx" ON "WritebackJob"("state", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WritebackJob_repository_headSha_pipelineId_executionId_kind_key" ON "WritebackJob"("repository", "headSha", "pipelineId", "executionId", "kind", "subject");
