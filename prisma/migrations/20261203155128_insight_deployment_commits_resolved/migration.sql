-- AlterTable
ALTER TABLE "InsightDeployment" ADD COLUMN     "commitsResolvedAt" TIMESTAMP(3),
ADD COLUMN     "commitsSource" TEXT;

-- CreateIndex
CREATE INDEX "InsightDeployment_commitsResolvedAt_at_idx" ON "InsightDeployment"("commitsResolvedAt", "at");
