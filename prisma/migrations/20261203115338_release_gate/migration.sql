-- CreateTable
CREATE TABLE "ReleaseGate" (
    "pipelineId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "branches" TEXT[],
    "checks" TEXT NOT NULL DEFAULT 'all',
    "checkNames" TEXT[],
    "releaseOrder" TEXT NOT NULL DEFAULT 'newest',
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedByLogin" TEXT NOT NULL,

    CONSTRAINT "ReleaseGate_pkey" PRIMARY KEY ("pipelineId")
);

-- CreateTable
CREATE TABLE "GateCommit" (
    "id" TEXT NOT NULL,
    "pipelineId" TEXT NOT NULL,
    "repository" TEXT NOT NULL,
    "sha" TEXT NOT NULL,
    "branch" TEXT NOT NULL,
    "pushedAt" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'waiting',
    "verdict" JSONB,
    "dueAt" TIMESTAMP(3),
    "claimedUntil" TIMESTAMP(3),
    "evaluatedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "executionId" TEXT,
    "releasedAt" TIMESTAMP(3),
    "supersededBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GateCommit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GateCommit_state_dueAt_idx" ON "GateCommit"("state", "dueAt");

-- CreateIndex
CREATE INDEX "GateCommit_repository_sha_idx" ON "GateCommit"("repository", "sha");

-- CreateIndex
CREATE UNIQUE INDEX "GateCommit_pipelineId_sha_key" ON "GateCommit"("pipelineId", "sha");
