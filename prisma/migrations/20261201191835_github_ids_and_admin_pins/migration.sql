-- AlterTable
ALTER TABLE "User" ALTER COLUMN "githubId" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "UserRepository" ADD COLUMN     "githubId" BIGINT;

-- AlterTable
ALTER TABLE "Target" ADD COLUMN     "githubIsGitHubCom" BOOLEAN;

-- AlterTable
ALTER TABLE "Repository" ADD COLUMN     "githubFullName" TEXT,
ADD COLUMN     "githubId" BIGINT,
ADD COLUMN     "githubIdCheckedAt" TIMESTAMP(3),
ADD COLUMN     "githubIdPinnedAt" TIMESTAMP(3),
ADD COLUMN     "githubIdSource" TEXT;

-- CreateTable
CREATE TABLE "AdminLoginPin" (
    "login" TEXT NOT NULL,
    "githubId" BIGINT NOT NULL,
    "pinnedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminLoginPin_pkey" PRIMARY KEY ("login")
);

-- CreateIndex
CREATE INDEX "Repository_githubId_idx" ON "Repository"("githubId");
