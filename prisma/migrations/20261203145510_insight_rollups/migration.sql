-- CreateTable
CREATE TABLE "InsightDaily" (
    "pipelineId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "stageName" TEXT NOT NULL DEFAULT '',
    "actionName" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL,
    "outcome" TEXT NOT NULL DEFAULT '',
    "n" INTEGER NOT NULL,
    "sumMs" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "InsightDaily_pkey" PRIMARY KEY ("pipelineId","day","stageName","actionName","kind","outcome")
);

-- CreateTable
CREATE TABLE "InsightHistogram" (
    "pipelineId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "stageName" TEXT NOT NULL DEFAULT '',
    "actionName" TEXT NOT NULL DEFAULT '',
    "outcome" TEXT NOT NULL,
    "bucket" SMALLINT NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "InsightHistogram_pkey" PRIMARY KEY ("pipelineId","day","stageName","actionName","outcome","bucket")
);

-- CreateTable
CREATE TABLE "InsightDeployment" (
    "pipelineId" TEXT NOT NULL,
    "executionId" TEXT NOT NULL,
    "stageName" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "sha" TEXT,
    "rollback" BOOLEAN NOT NULL DEFAULT false,
    "rollbackTargetId" TEXT,
    "approvalWaitMs" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "InsightDeployment_pkey" PRIMARY KEY ("pipelineId","executionId","stageName")
);

-- CreateTable
CREATE TABLE "InsightDeploymentCommit" (
    "pipelineId" TEXT NOT NULL,
    "executionId" TEXT NOT NULL,
    "stageName" TEXT NOT NULL,
    "sha" TEXT NOT NULL,
    "committedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InsightDeploymentCommit_pkey" PRIMARY KEY ("pipelineId","executionId","stageName","sha")
);

-- CreateTable
CREATE TABLE "InsightApplied" (
    "pipelineId" TEXT NOT NULL,
    "executionId" TEXT NOT NULL,
    "contribution" JSONB NOT NULL,
    "appliedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InsightApplied_pkey" PRIMARY KEY ("pipelineId","executionId")
);

-- CreateTable
CREATE TABLE "InsightHold" (
    "pipelineId" TEXT NOT NULL,
    "stageName" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InsightHold_pkey" PRIMARY KEY ("pipelineId","stageName")
);

-- CreateIndex
CREATE INDEX "InsightDaily_day_idx" ON "InsightDaily"("day");

-- CreateIndex
CREATE INDEX "InsightDeployment_pipelineId_at_idx" ON "InsightDeployment"("pipelineId", "at");

-- CreateIndex
CREATE INDEX "InsightDeployment_at_idx" ON "InsightDeployment"("at");
