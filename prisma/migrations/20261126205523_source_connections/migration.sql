-- AlterTable
ALTER TABLE "Target" ADD COLUMN     "connectionsCheckedAt" TIMESTAMP(3),
ADD COLUMN     "connectionsError" TEXT,
ADD COLUMN     "connectionsListedAt" TIMESTAMP(3),
ADD COLUMN     "githubUrl" TEXT;

-- AlterTable
ALTER TABLE "Pipeline" ADD COLUMN     "sourceConnectionArn" TEXT,
ADD COLUMN     "sourceConnectionProvider" TEXT;

-- CreateTable
CREATE TABLE "SourceConnection" (
    "targetId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "arn" TEXT NOT NULL,
    "providerType" TEXT NOT NULL,
    "hostArn" TEXT,
    "providerEndpoint" TEXT,
    "status" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SourceConnection_pkey" PRIMARY KEY ("targetId","key")
);

-- AddForeignKey
ALTER TABLE "SourceConnection" ADD CONSTRAINT "SourceConnection_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "Target"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Connection sources were mapped without knowing where the connection points: they stay unmapped
-- until the sync engine has listed the target's connections.
UPDATE "Pipeline" SET "repositoryId" = NULL WHERE "sourceProvider" IN ('CodeStarSourceConnection', 'CodeConnections');
