-- CreateTable
CREATE TABLE "WritebackSwitches" (
    "repositoryGithubId" BIGINT NOT NULL,
    "checkRuns" BOOLEAN,
    "statuses" BOOLEAN,
    "stageStatuses" BOOLEAN,
    "deployments" BOOLEAN,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedByLogin" TEXT NOT NULL,

    CONSTRAINT "WritebackSwitches_pkey" PRIMARY KEY ("repositoryGithubId")
);

-- CreateTable
CREATE TABLE "WritebackEnvironment" (
    "repositoryGithubId" BIGINT NOT NULL,
    "pipelineId" TEXT NOT NULL,
    "stageName" TEXT NOT NULL,
    "environment" TEXT,
    "production" BOOLEAN NOT NULL DEFAULT false,
    "transient" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedByLogin" TEXT NOT NULL,

    CONSTRAINT "WritebackEnvironment_pkey" PRIMARY KEY ("repositoryGithubId","pipelineId","stageName")
);
