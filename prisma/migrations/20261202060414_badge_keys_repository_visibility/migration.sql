-- AlterTable
ALTER TABLE "Repository" ADD COLUMN     "defaultBranch" TEXT,
ADD COLUMN     "private" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "BadgeKey" (
    "repositoryGithubId" BIGINT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "keySealed" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdByLogin" TEXT NOT NULL,

    CONSTRAINT "BadgeKey_pkey" PRIMARY KEY ("repositoryGithubId")
);
