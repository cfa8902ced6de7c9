-- AlterTable
ALTER TABLE "PipelineSync" ADD COLUMN     "pushWatchUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "GitHubDelivery" (
    "id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "action" TEXT,
    "installationId" BIGINT,
    "repository" TEXT,
    "payload" JSONB NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "GitHubDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GitHubDelivery_state_nextAttemptAt_idx" ON "GitHubDelivery"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "GitHubDelivery_receivedAt_idx" ON "GitHubDelivery"("receivedAt");
