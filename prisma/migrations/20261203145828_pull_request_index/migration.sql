-- Commit search by pull request number. Stageboard keeps no link from a commit to its pull request; the
-- message GitHub writes when it merges one names it: "Merge pull request #42 from owner/branch" (a merge
-- commit) or "Title (#42)" at the end of the first line (a squash). At most nine digits, so the cast
-- cannot overflow whatever a message says. IMMUTABLE: it reads only its argument, as an index needs.
CREATE FUNCTION stageboard_pull_request_number(message text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT AS $fn$
  SELECT COALESCE(
    substring(message FROM '^Merge pull request #([0-9]{1,9})\M'),
    substring(split_part(message, E'\n', 1) FROM '\(#([0-9]{1,9})\)\s*$')
  )::integer
$fn$;

-- Newest first within one number, so the search reads its page straight from the index.
CREATE INDEX "Execution_pullRequest_startTime_idx" ON "Execution" (stageboard_pull_request_number("commitMessage"), "startTime" DESC)
  WHERE stageboard_pull_request_number("commitMessage") IS NOT NULL;
