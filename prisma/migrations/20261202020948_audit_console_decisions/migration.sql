-- Approvals decided outside Stageboard (the AWS console, the CLI, another tool) enter the audit log as
-- "console-decision" rows, written in the transaction that settles them (the sync's settleApprovals), with the
-- IAM identity AWS reports (ActionExecution.updatedBy, stored as decidedBy). An approval Stageboard decided has
-- its ApprovalDecision row and is logged by the command path instead. Expiry is not a decision.
CREATE FUNCTION stageboard_audit_console_decision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."status" = 'Pending' AND NEW."status" IN ('Approved', 'Rejected')
     AND NOT EXISTS (SELECT 1 FROM "ApprovalDecision" d WHERE d."approvalId" = NEW."id") THEN
    INSERT INTO "AuditEntry" ("at", "entry", "action", "actorLogin", "repository", "repositoryGithubId", "pipelineId",
      "pipelineName", "stageName", "actionName", "executionId", "parameters", "comment", "outcome")
    SELECT COALESCE(NEW."decidedAt", now() AT TIME ZONE 'UTC'), 'console-decision', 'console-decision',
      COALESCE(NULLIF(NEW."decidedBy", ''), 'unknown IAM identity'), COALESCE(r."githubFullName", r."fullName"),
      r."githubId", p."id", p."name", NEW."stageName", NEW."actionName", NEW."executionId",
      jsonb_build_object('status', NEW."status"), NEW."summary", 'succeeded'
    FROM "Pipeline" p LEFT JOIN "Repository" r ON r."id" = p."repositoryId"
    WHERE p."id" = NEW."pipelineId";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Approval_console_decision_audit" AFTER UPDATE OF "status" ON "Approval"
  FOR EACH ROW EXECUTE FUNCTION stageboard_audit_console_decision();
