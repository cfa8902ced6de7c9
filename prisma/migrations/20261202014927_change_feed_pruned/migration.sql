-- CreateTable
CREATE TABLE "ChangeFeedPruned" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "cursorTxid" BIGINT NOT NULL,
    "cursorId" BIGINT NOT NULL,
    "prunedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChangeFeedPruned_pkey" PRIMARY KEY ("id")
);
