-- The audit log is append-only in the database itself: UPDATE, DELETE and TRUNCATE on "AuditEntry" are refused,
-- whoever asks. The one exception is stageboard_prune_audit_log, the log's own retention: it names a cut-off in a
-- transaction-local setting, and the trigger lets a DELETE through only for rows older than both that cut-off and
-- one day (so no setting, however it is set, removes what was written today).
CREATE FUNCTION stageboard_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cutoff text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    cutoff := current_setting('stageboard.audit_prune_before', true);
    IF cutoff IS NOT NULL AND cutoff <> '' AND OLD."at" < cutoff::timestamp
       AND OLD."at" < (now() AT TIME ZONE 'UTC') - interval '1 day' THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER "AuditEntry_append_only" BEFORE UPDATE OR DELETE ON "AuditEntry"
  FOR EACH ROW EXECUTE FUNCTION stageboard_audit_append_only();
CREATE TRIGGER "AuditEntry_no_truncate" BEFORE TRUNCATE ON "AuditEntry"
  FOR EACH STATEMENT EXECUTE FUNCTION stageboard_audit_append_only();

-- Deletes entries older than retention_days (at least 1); returns how many.
CREATE FUNCTION stageboard_prune_audit_log(retention_days integer) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  cutoff timestamp := (now() AT TIME ZONE 'UTC') - make_interval(days => GREATEST(retention_days, 1));
  removed bigint;
BEGIN
  PERFORM set_config('stageboard.audit_prune_before', cutoff::text, true);
  DELETE FROM "AuditEntry" WHERE "at" < cutoff;
  GET DIAGNOSTICS removed = ROW_COUNT;
  PERFORM set_config('stageboard.audit_prune_before', '', true);
  RETURN removed;
END
$$;
