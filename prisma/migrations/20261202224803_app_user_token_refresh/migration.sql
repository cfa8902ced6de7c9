-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "refresh_token_expires_at" INTEGER;

-- CreateTable
CREATE TABLE "EndedSignIn" (
    "tokenHash" TEXT NOT NULL,
    "endedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EndedSignIn_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateIndex
CREATE INDEX "EndedSignIn_endedAt_idx" ON "EndedSignIn"("endedAt");
