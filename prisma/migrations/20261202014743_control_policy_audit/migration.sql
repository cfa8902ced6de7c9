-- CreateTable
CREATE TABLE "PolicyOverride" (
    "repositoryGithubId" BIGINT NOT NULL,
    "pipelineId" TEXT NOT NULL DEFAULT '',
    "stageName" TEXT NOT NULL DEFAULT '',
    "settings" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedByLogin" TEXT NOT NULL,

    CONSTRAINT "PolicyOverride_pkey" PRIMARY KEY ("repositoryGithubId","pipelineId","stageName")
);

-- CreateTable
CREATE TABLE "ApprovalVote" (
    "approvalId" TEXT NOT NULL,
    "githubId" BIGINT NOT NULL,
    "login" TEXT NOT NULL,
    "name" TEXT,
    "decision" TEXT NOT NULL,
    "comment" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApprovalVote_pkey" PRIMARY KEY ("approvalId","githubId")
);

-- CreateTable
CREATE TABLE "ApprovalDecision" (
    "approvalId" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "githubId" BIGINT NOT NULL,
    "login" TEXT NOT NULL,
    "name" TEXT,
    "comment" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "awsRequestId" TEXT,

    CONSTRAINT "ApprovalDecision_pkey" PRIMARY KEY ("approvalId")
);

-- CreateTable
CREATE TABLE "ExecutionCommits" (
    "pipelineId" TEXT NOT NULL,
    "executionId" TEXT NOT NULL,
    "stageName" TEXT NOT NULL,
    "baseSha" TEXT,
    "headSha" TEXT,
    "commits" JSONB NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExecutionCommits_pkey" PRIMARY KEY ("pipelineId","executionId","stageName")
);

-- CreateTable
CREATE TABLE "ExecutionStarter" (
    "pipelineId" TEXT NOT NULL,
    "executionId" TEXT NOT NULL,
    "githubId" BIGINT NOT NULL,
    "login" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExecutionStarter_pkey" PRIMARY KEY ("pipelineId","executionId")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "entry" TEXT NOT NULL,
    "attemptId" BIGINT,
    "action" TEXT NOT NULL,
    "actorGithubId" BIGINT,
    "actorLogin" TEXT NOT NULL,
    "repository" TEXT,
    "repositoryGithubId" BIGINT,
    "pipelineId" TEXT,
    "pipelineName" TEXT,
    "stageName" TEXT,
    "actionName" TEXT,
    "executionId" TEXT,
    "parameters" JSONB,
    "comment" TEXT,
    "outcome" TEXT NOT NULL,
    "awsRequestId" TEXT,
    "error" TEXT,
    "requestId" TEXT,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE INDEX "AuditEntry_repositoryGithubId_id_idx" ON "AuditEntry"("repositoryGithubId", "id");

-- CreateIndex
CREATE INDEX "AuditEntry_pipelineId_id_idx" ON "AuditEntry"("pipelineId", "id");

-- CreateIndex
CREATE INDEX "AuditEntry_actorLogin_id_idx" ON "AuditEntry"("actorLogin", "id");

-- CreateIndex
CREATE INDEX "AuditEntry_attemptId_idx" ON "AuditEntry"("attemptId");

-- AddForeignKey
ALTER TABLE "ApprovalVote" ADD CONSTRAINT "ApprovalVote_approvalId_fkey" FOREIGN KEY ("approvalId") REFERENCES "Approval"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_approvalId_fkey" FOREIGN KEY ("approvalId") REFERENCES "Approval"("id") ON DELETE CASCADE ON UPDATE CASCADE;
