-- CreateTable
CREATE TABLE "NotifyWebhook" (
    "id" TEXT NOT NULL,
    "repositoryGithubId" BIGINT NOT NULL,
    "repositoryName" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "urlSealed" TEXT NOT NULL,
    "urlHint" TEXT NOT NULL,
    "secretSealed" TEXT,
    "events" TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdByLogin" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotifyWebhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotifyDelivery" (
    "id" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "notice" JSONB NOT NULL,
    "changeKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "NotifyDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotifyAttempt" (
    "id" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "statusCode" INTEGER,
    "error" TEXT,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "NotifyAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "NotifyWebhook_repositoryGithubId_idx" ON "NotifyWebhook"("repositoryGithubId");

-- CreateIndex
CREATE INDEX "NotifyDelivery_status_nextAttemptAt_idx" ON "NotifyDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "NotifyDelivery_webhookId_createdAt_idx" ON "NotifyDelivery"("webhookId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "NotifyDelivery_createdAt_idx" ON "NotifyDelivery"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "NotifyDelivery_webhookId_changeKey_key" ON "NotifyDelivery"("webhookId", "changeKey");

-- CreateIndex
CREATE INDEX "NotifyAttempt_deliveryId_at_idx" ON "NotifyAttempt"("deliveryId", "at");

-- AddForeignKey
ALTER TABLE "NotifyDelivery" ADD CONSTRAINT "NotifyDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "NotifyWebhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotifyAttempt" ADD CONSTRAINT "NotifyAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "NotifyDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;
