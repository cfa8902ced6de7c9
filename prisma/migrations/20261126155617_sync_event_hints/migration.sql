-- AlterTable
ALTER TABLE "PipelineSync" ADD COLUMN     "eventExecutionIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "pipelineEventPending" BOOLEAN NOT NULL DEFAULT false;
