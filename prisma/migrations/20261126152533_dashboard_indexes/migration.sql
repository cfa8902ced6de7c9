-- CreateIndex
CREATE INDEX "Execution_pipelineId_triggerType_startTime_idx" ON "Execution"("pipelineId", "triggerType", "startTime" DESC);

-- CreateIndex
CREATE INDEX "Execution_pipelineId_updatedAt_idx" ON "Execution"("pipelineId", "updatedAt");
