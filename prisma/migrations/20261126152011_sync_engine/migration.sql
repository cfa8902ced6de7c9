-- AlterTable
ALTER TABLE "Target" ADD COLUMN     "discoveryLeaseOwner" TEXT,
ADD COLUMN     "discoveryLeaseUntil" TIMESTAMP(3),
ADD COLUMN     "lastDiscoveryAt" TIMESTAMP(3),
ADD COLUMN     "nextDiscoveryAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "PipelineSync" ADD COLUMN     "definitionVersion" INTEGER,
ADD COLUMN     "idleChecks" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "stateHash" TEXT,
ADD COLUMN     "syncStartedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Pipeline_latestStatus_idx" ON "Pipeline"("latestStatus");

-- CreateIndex
CREATE INDEX "Execution_pipelineId_completedAt_idx" ON "Execution"("pipelineId", "completedAt");

-- CreateIndex
CREATE INDEX "Approval_status_expiresAt_idx" ON "Approval"("status", "expiresAt");
