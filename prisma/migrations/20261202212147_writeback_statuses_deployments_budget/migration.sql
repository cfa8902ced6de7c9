-- AlterTable: the column now holds a check run's or a deployment's id; renamed, so ids already known are kept.
ALTER TABLE "WritebackJob" RENAME COLUMN "checkRunId" TO "remoteId";
ALTER TABLE "WritebackJob" ADD COLUMN     "sends" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "GitHubContentSpend" (
    "id" BIGSERIAL NOT NULL,
    "installationId" BIGINT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GitHubContentSpend_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GitHubContentSpend_installationId_at_idx" ON "GitHubContentSpend"("installationId", "at");
