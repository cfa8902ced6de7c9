-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "githubId" INTEGER NOT NULL,
    "login" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "image" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "reposFetchedAt" TIMESTAMP(3),
    "reposError" TEXT,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "access_token" TEXT,
    "refresh_token" TEXT,
    "expires_at" INTEGER,
    "refresh_token_expires_in" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "sessionToken" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserRepository" (
    "userId" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "permission" TEXT NOT NULL,

    CONSTRAINT "UserRepository_pkey" PRIMARY KEY ("userId","fullName")
);

-- CreateTable
CREATE TABLE "Target" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "endpoint" TEXT,
    "roleArn" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSuccessAt" TIMESTAMP(3),
    "lastErrorAt" TIMESTAMP(3),
    "lastError" TEXT,
    "throttledAt" TIMESTAMP(3),
    "lastEventAt" TIMESTAMP(3),

    CONSTRAINT "Target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Repository" (
    "id" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Repository_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pipeline" (
    "id" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "arn" TEXT,
    "repositoryId" TEXT,
    "sourceBranch" TEXT,
    "sourceProvider" TEXT,
    "pipelineType" TEXT,
    "executionMode" TEXT,
    "version" INTEGER NOT NULL,
    "variables" JSONB,
    "triggers" JSONB,
    "awsCreatedAt" TIMESTAMP(3),
    "awsUpdatedAt" TIMESTAMP(3),
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMP(3),
    "state" JSONB,
    "stateFetchedAt" TIMESTAMP(3),
    "latestExecutionId" TEXT,
    "latestStatus" TEXT,
    "latestStartTime" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Pipeline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PipelineDefinition" (
    "pipelineId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PipelineDefinition_pkey" PRIMARY KEY ("pipelineId","version")
);

-- CreateTable
CREATE TABLE "Stage" (
    "pipelineId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "transitionEnabled" BOOLEAN NOT NULL DEFAULT true,
    "disabledReason" TEXT,
    "disabledBy" TEXT,
    "disabledAt" TIMESTAMP(3),
    "conditions" JSONB,

    CONSTRAINT "Stage_pkey" PRIMARY KEY ("pipelineId","name")
);

-- CreateTable
CREATE TABLE "Action" (
    "pipelineId" TEXT NOT NULL,
    "stageName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerVersion" TEXT NOT NULL,
    "runOrder" INTEGER NOT NULL,
    "configuration" JSONB,
    "region" TEXT,
    "namespace" TEXT,

    CONSTRAINT "Action_pkey" PRIMARY KEY ("pipelineId","stageName","name")
);

-- CreateTable
CREATE TABLE "Execution" (
    "id" TEXT NOT NULL,
    "pipelineId" TEXT NOT NULL,
    "executionId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "statusSummary" TEXT,
    "pipelineVersion" INTEGER,
    "triggerType" TEXT,
    "triggerDetail" TEXT,
    "executionMode" TEXT,
    "executionType" TEXT,
    "rollbackTargetExecutionId" TEXT,
    "stopReason" TEXT,
    "startTime" TIMESTAMP(3) NOT NULL,
    "lastUpdateTime" TIMESTAMP(3) NOT NULL,
    "variables" JSONB,
    "sourceRevisions" JSONB,
    "commitSha" TEXT,
    "commitMessage" TEXT,
    "commitUrl" TEXT,
    "branch" TEXT,
    "completedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Execution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StageExecution" (
    "executionId" TEXT NOT NULL,
    "stageName" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "type" TEXT,
    "startTime" TIMESTAMP(3),
    "endTime" TIMESTAMP(3),

    CONSTRAINT "StageExecution_pkey" PRIMARY KEY ("executionId","stageName")
);

-- CreateTable
CREATE TABLE "ActionExecution" (
    "id" TEXT NOT NULL,
    "executionId" TEXT NOT NULL,
    "actionExecutionId" TEXT NOT NULL,
    "stageName" TEXT NOT NULL,
    "actionName" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "startTime" TIMESTAMP(3),
    "lastUpdateTime" TIMESTAMP(3),
    "updatedBy" TEXT,
    "category" TEXT,
    "provider" TEXT,
    "externalExecutionId" TEXT,
    "externalExecutionUrl" TEXT,
    "externalExecutionSummary" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "outputVariables" JSONB,

    CONSTRAINT "ActionExecution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RuleExecution" (
    "id" TEXT NOT NULL,
    "executionId" TEXT NOT NULL,
    "ruleExecutionId" TEXT NOT NULL,
    "stageName" TEXT NOT NULL,
    "ruleName" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "startTime" TIMESTAMP(3),
    "lastUpdateTime" TIMESTAMP(3),
    "provider" TEXT,
    "summary" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,

    CONSTRAINT "RuleExecution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Approval" (
    "id" TEXT NOT NULL,
    "pipelineId" TEXT NOT NULL,
    "executionId" TEXT,
    "stageName" TEXT NOT NULL,
    "actionName" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3),
    "decidedBy" TEXT,
    "summary" TEXT,
    "externalEntityLink" TEXT,
    "customData" TEXT,

    CONSTRAINT "Approval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PipelineSync" (
    "pipelineId" TEXT NOT NULL,
    "nextSyncAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "backfillToken" TEXT,
    "backfillDone" BOOLEAN NOT NULL DEFAULT false,
    "actionBackfillToken" TEXT,
    "actionBackfillDone" BOOLEAN NOT NULL DEFAULT false,
    "lastSyncAt" TIMESTAMP(3),
    "lastSuccessAt" TIMESTAMP(3),
    "lastActivityAt" TIMESTAMP(3),
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "requestedAt" TIMESTAMP(3),

    CONSTRAINT "PipelineSync_pkey" PRIMARY KEY ("pipelineId")
);

-- CreateTable
CREATE TABLE "ProcessedEvent" (
    "id" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_githubId_key" ON "User"("githubId");

-- CreateIndex
CREATE INDEX "Account_userId_idx" ON "Account"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Account_provider_providerAccountId_key" ON "Account"("provider", "providerAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session"("sessionToken");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "UserRepository_fullName_idx" ON "UserRepository"("fullName");

-- CreateIndex
CREATE UNIQUE INDEX "Repository_fullName_key" ON "Repository"("fullName");

-- CreateIndex
CREATE INDEX "Pipeline_repositoryId_idx" ON "Pipeline"("repositoryId");

-- CreateIndex
CREATE INDEX "Pipeline_updatedAt_idx" ON "Pipeline"("updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Pipeline_targetId_name_key" ON "Pipeline"("targetId", "name");

-- CreateIndex
CREATE INDEX "Execution_pipelineId_startTime_id_idx" ON "Execution"("pipelineId", "startTime" DESC, "id");

-- CreateIndex
CREATE INDEX "Execution_pipelineId_status_startTime_idx" ON "Execution"("pipelineId", "status", "startTime" DESC);

-- CreateIndex
CREATE INDEX "Execution_commitSha_idx" ON "Execution"("commitSha");

-- CreateIndex
CREATE INDEX "Execution_pipelineId_branch_startTime_idx" ON "Execution"("pipelineId", "branch", "startTime" DESC);

-- CreateIndex
CREATE INDEX "Execution_updatedAt_idx" ON "Execution"("updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Execution_pipelineId_executionId_key" ON "Execution"("pipelineId", "executionId");

-- CreateIndex
CREATE INDEX "ActionExecution_executionId_startTime_idx" ON "ActionExecution"("executionId", "startTime");

-- CreateIndex
CREATE UNIQUE INDEX "ActionExecution_executionId_actionExecutionId_key" ON "ActionExecution"("executionId", "actionExecutionId");

-- CreateIndex
CREATE UNIQUE INDEX "RuleExecution_executionId_ruleExecutionId_key" ON "RuleExecution"("executionId", "ruleExecutionId");

-- CreateIndex
CREATE INDEX "Approval_pipelineId_status_idx" ON "Approval"("pipelineId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Approval_pipelineId_stageName_actionName_token_key" ON "Approval"("pipelineId", "stageName", "actionName", "token");

-- CreateIndex
CREATE INDEX "PipelineSync_nextSyncAt_idx" ON "PipelineSync"("nextSyncAt");

-- CreateIndex
CREATE INDEX "ProcessedEvent_receivedAt_idx" ON "ProcessedEvent"("receivedAt");

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserRepository" ADD CONSTRAINT "UserRepository_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pipeline" ADD CONSTRAINT "Pipeline_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "Target"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pipeline" ADD CONSTRAINT "Pipeline_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PipelineDefinition" ADD CONSTRAINT "PipelineDefinition_pipelineId_fkey" FOREIGN KEY ("pipelineId") REFERENCES "Pipeline"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Stage" ADD CONSTRAINT "Stage_pipelineId_fkey" FOREIGN KEY ("pipelineId") REFERENCES "Pipeline"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Action" ADD CONSTRAINT "Action_pipelineId_stageName_fkey" FOREIGN KEY ("pipelineId", "stageName") REFERENCES "Stage"("pipelineId", "name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Execution" ADD CONSTRAINT "Execution_pipelineId_fkey" FOREIGN KEY ("pipelineId") REFERENCES "Pipeline"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StageExecution" ADD CONSTRAINT "StageExecution_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionExecution" ADD CONSTRAINT "ActionExecution_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RuleExecution" ADD CONSTRAINT "RuleExecution_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_pipelineId_fkey" FOREIGN KEY ("pipelineId") REFERENCES "Pipeline"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PipelineSync" ADD CONSTRAINT "PipelineSync_pipelineId_fkey" FOREIGN KEY ("pipelineId") REFERENCES "Pipeline"("id") ON DELETE CASCADE ON UPDATE CASCADE;
