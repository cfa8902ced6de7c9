-- The GitHub App: its registration from the setup page's manifest flow (secrets sealed), and the installations
-- cache (which installation reaches a repository). Additive only.
-- CreateTable
CREATE TABLE "GitHubAppRegistration" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "appId" BIGINT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ownerLogin" TEXT NOT NULL,
    "clientId" TEXT,
    "privateKeySealed" TEXT NOT NULL,
    "webhookSecretSealed" TEXT,
    "clientSecretSealed" TEXT,
    "createdByGithubId" BIGINT,
    "createdByLogin" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GitHubAppRegistration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GitHubAppInstallation" (
    "id" BIGINT NOT NULL,
    "appId" BIGINT NOT NULL,
    "accountLogin" TEXT NOT NULL,
    "accountId" BIGINT NOT NULL,
    "accountType" TEXT NOT NULL,
    "repositorySelection" TEXT NOT NULL,
    "permissions" TEXT[],
    "events" TEXT[],
    "suspendedAt" TIMESTAMP(3),
    "fetchedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GitHubAppInstallation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GitHubAppRepository" (
    "appId" BIGINT NOT NULL,
    "fullName" TEXT NOT NULL,
    "installationId" BIGINT,
    "checkedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GitHubAppRepository_pkey" PRIMARY KEY ("appId","fullName")
);

-- CreateIndex
CREATE UNIQUE INDEX "GitHubAppRegistration_appId_key" ON "GitHubAppRegistration"("appId");

-- CreateIndex
CREATE INDEX "GitHubAppInstallation_appId_idx" ON "GitHubAppInstallation"("appId");

-- CreateIndex
CREATE INDEX "GitHubAppRepository_installationId_idx" ON "GitHubAppRepository"("installationId");

-- AddForeignKey
ALTER TABLE "GitHubAppRepository" ADD CONSTRAINT "GitHubAppRepository_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "GitHubAppInstallation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
