-- AlterTable
ALTER TABLE "PipelineSync" ADD COLUMN     "ruleBackfillDone" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "ruleBackfillToken" TEXT;

-- Every pipeline owes the rule backfill, including those whose action backfill finished before it existed.
-- Those with a stored definition and no stage conditions have no rule executions to fetch: done at once.
UPDATE "PipelineSync" AS ps SET "ruleBackfillDone" = true
WHERE ps."definitionVersion" IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM "Stage" AS s WHERE s."pipelineId" = ps."pipelineId" AND s."conditions" IS NOT NULL);

-- The rest run their pass at the next round: until they finish, the target's live checks wait for history.
UPDATE "PipelineSync" SET "nextSyncAt" = (now() AT TIME ZONE 'UTC')
WHERE "ruleBackfillDone" = false AND "actionBackfillDone" = true AND "nextSyncAt" > (now() AT TIME ZONE 'UTC');
