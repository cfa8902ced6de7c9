-- CreateTable
CREATE TABLE "ChangeEvent" (
    "id" BIGSERIAL NOT NULL,
    "txid" BIGINT NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint,
    "pipelineId" TEXT NOT NULL,
    "executionId" TEXT,
    "entity" TEXT NOT NULL,
    "name" TEXT,
    "before" JSONB,
    "after" JSONB NOT NULL,
    "origin" TEXT NOT NULL DEFAULT 'live',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChangeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeConsumer" (
    "name" TEXT NOT NULL,
    "cursorTxid" BIGINT NOT NULL,
    "cursorId" BIGINT NOT NULL,
    "lastReadAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChangeConsumer_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "ChangeEvent_txid_id_idx" ON "ChangeEvent"("txid", "id");

-- CreateIndex
CREATE INDEX "ChangeEvent_pipelineId_txid_id_idx" ON "ChangeEvent"("pipelineId", "txid", "id");

-- CreateIndex
CREATE INDEX "ChangeEvent_createdAt_idx" ON "ChangeEvent"("createdAt");

-- Change feed triggers (lib/server/feed/): every writer of these tables is covered without calling anything.
-- Only real changes are recorded (IS DISTINCT FROM, and an insert is a change from nothing). Deletes are not
-- (a deleted pipeline takes its history with it, and ChangeEvent has no foreign key a cascade could trip on).

-- "backfill" when the writing transaction said so (markChangeOrigin), else "live".
CREATE FUNCTION stageboard_change_origin() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN current_setting('stageboard.change_origin', true) = 'backfill' THEN 'backfill' ELSE 'live' END
$$;

-- Timestamps in before/after as Prisma writes them: UTC, ISO 8601 with milliseconds.
CREATE FUNCTION stageboard_feed_time(t timestamp) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- createdAt is the wall clock of the write (clock_timestamp, not the transaction start), so feed lag is
-- measured from the change itself. Identical notifications in one transaction are delivered once.
CREATE FUNCTION stageboard_record_change(
  p_pipeline text, p_execution text, p_entity text, p_name text, p_before jsonb, p_after jsonb
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ChangeEvent" ("pipelineId", "executionId", "entity", "name", "before", "after", "origin", "createdAt")
  VALUES (p_pipeline, p_execution, p_entity, p_name, p_before, p_after, stageboard_change_origin(),
          clock_timestamp() AT TIME ZONE 'UTC');
  PERFORM pg_notify('stageboard_changes', '');
END
$$;

CREATE FUNCTION stageboard_feed_pipeline() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was jsonb;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW."latestStatus" IS NOT DISTINCT FROM OLD."latestStatus" AND NEW."state" IS NOT DISTINCT FROM OLD."state" THEN
      RETURN NULL;
    END IF;
    was := jsonb_build_object('status', OLD."latestStatus", 'executionId', OLD."latestExecutionId",
                              'stateDigest', md5(OLD."state"::text));
  ELSIF NEW."latestStatus" IS NULL AND NEW."state" IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM stageboard_record_change(NEW."id", NEW."latestExecutionId", 'pipeline', NULL, was,
    jsonb_build_object('status', NEW."latestStatus", 'executionId', NEW."latestExecutionId",
                       'stateDigest', md5(NEW."state"::text)));
  RETURN NULL;
END
$$;

CREATE FUNCTION stageboard_feed_transition() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was jsonb;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW."transitionEnabled" IS NOT DISTINCT FROM OLD."transitionEnabled" THEN
      RETURN NULL;
    END IF;
    was := jsonb_build_object('enabled', OLD."transitionEnabled", 'disabledBy', OLD."disabledBy");
  END IF;
  PERFORM stageboard_record_change(NEW."pipelineId", NULL, 'transition', NEW."name", was,
    jsonb_build_object('enabled', NEW."transitionEnabled", 'disabledBy', NEW."disabledBy"));
  RETURN NULL;
END
$$;

CREATE FUNCTION stageboard_feed_execution() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was jsonb;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW."status" IS NOT DISTINCT FROM OLD."status" THEN
      RETURN NULL;
    END IF;
    was := jsonb_build_object('status', OLD."status", 'startTime', stageboard_feed_time(OLD."startTime"));
  END IF;
  PERFORM stageboard_record_change(NEW."pipelineId", NEW."executionId", 'execution', NULL, was,
    jsonb_build_object('status', NEW."status", 'startTime', stageboard_feed_time(NEW."startTime")));
  RETURN NULL;
END
$$;

CREATE FUNCTION stageboard_feed_stage_execution() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was jsonb;
  run record;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW."status" IS NOT DISTINCT FROM OLD."status" THEN
      RETURN NULL;
    END IF;
    was := jsonb_build_object('status', OLD."status");
  END IF;
  SELECT "pipelineId", "executionId" INTO run FROM "Execution" WHERE "id" = NEW."executionId";
  PERFORM stageboard_record_change(run."pipelineId", run."executionId", 'stage', NEW."stageName", was,
    jsonb_build_object('status', NEW."status"));
  RETURN NULL;
END
$$;

-- errorCode only: error messages may quote whatever a build printed.
CREATE FUNCTION stageboard_feed_action_execution() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was jsonb;
  run record;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW."status" IS NOT DISTINCT FROM OLD."status" THEN
      RETURN NULL;
    END IF;
    was := jsonb_build_object('status', OLD."status", 'errorCode', OLD."errorCode");
  END IF;
  SELECT "pipelineId", "executionId" INTO run FROM "Execution" WHERE "id" = NEW."executionId";
  PERFORM stageboard_record_change(run."pipelineId", run."executionId", 'action',
    NEW."stageName" || '/' || NEW."actionName", was,
    jsonb_build_object('status', NEW."status", 'errorCode', NEW."errorCode"));
  RETURN NULL;
END
$$;

CREATE FUNCTION stageboard_feed_approval() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was jsonb;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW."status" IS NOT DISTINCT FROM OLD."status" THEN
      RETURN NULL;
    END IF;
    was := jsonb_build_object('status', OLD."status", 'decidedBy', OLD."decidedBy");
  END IF;
  PERFORM stageboard_record_change(NEW."pipelineId", NEW."executionId", 'approval',
    NEW."stageName" || '/' || NEW."actionName", was,
    jsonb_build_object('status', NEW."status", 'decidedBy', NEW."decidedBy"));
  RETURN NULL;
END
$$;

CREATE TRIGGER "Pipeline_change_feed" AFTER INSERT OR UPDATE OF "latestStatus", "state" ON "Pipeline"
  FOR EACH ROW EXECUTE FUNCTION stageboard_feed_pipeline();
CREATE TRIGGER "Stage_change_feed" AFTER INSERT OR UPDATE OF "transitionEnabled" ON "Stage"
  FOR EACH ROW EXECUTE FUNCTION stageboard_feed_transition();
CREATE TRIGGER "Execution_change_feed" AFTER INSERT OR UPDATE OF "status" ON "Execution"
  FOR EACH ROW EXECUTE FUNCTION stageboard_feed_execution();
CREATE TRIGGER "StageExecution_change_feed" AFTER INSERT OR UPDATE OF "status" ON "StageExecution"
  FOR EACH ROW EXECUTE FUNCTION stageboard_feed_stage_execution();
CREATE TRIGGER "ActionExecution_change_feed" AFTER INSERT OR UPDATE OF "status" ON "ActionExecution"
  FOR EACH ROW EXECUTE FUNCTION stageboard_feed_action_execution();
CREATE TRIGGER "Approval_change_feed" AFTER INSERT OR UPDATE OF "status" ON "Approval"
  FOR EACH ROW EXECUTE FUNCTION stageboard_feed_approval();
