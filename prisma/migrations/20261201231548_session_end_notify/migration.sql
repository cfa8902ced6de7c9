-- A deleted session (sign out, sign out everywhere, an expired one swept on read) tells every process
-- holding a live stream for it to close that stream: the payload is the session's token hash, never the token.
-- The migration runner splits scripts at every semicolon, so the function body spells its own as \073.
CREATE OR REPLACE FUNCTION "stageboard_notify_session_end"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN PERFORM pg_notify(''stageboard_session_end'', OLD."tokenHash")\073 RETURN OLD\073 END';

CREATE TRIGGER "Session_end_notify" AFTER DELETE ON "Session"
  FOR EACH ROW EXECUTE FUNCTION "stageboard_notify_session_end"();
