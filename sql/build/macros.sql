-- macros: scalar macros the ingest and the views share.
-- kind: script

-- Run logs write ISO-8601 UTC ("…Z"): a plain TIMESTAMP cast is exact and fast for those. Other offsets go
-- through TIMESTAMPTZ (slower, so only for them); the session time zone is UTC. Unparseable text is NULL.
CREATE OR REPLACE MACRO parse_utc_timestamp(text) AS
  CASE
    WHEN text IS NULL THEN NULL
    WHEN text LIKE '%Z' THEN try_cast(text AS TIMESTAMP)
    ELSE try_cast(try_cast(text AS TIMESTAMPTZ) AS TIMESTAMP)
  END;

-- A step's outcome on its run's metric: credited/correct as 1 or 0 (an abstention or a missing verdict is 0),
-- score as written (graded tasks write the mean criterion score scaled to 0..1); NULL for an error, which never
-- counts toward accuracy. In a credited run a closed-book item (no passages, credited NULL) counts as correct:
-- there is no evidence to cite, so only the answer can be right or wrong.
CREATE OR REPLACE MACRO step_value(metric, status, credited, correct, score) AS
  CASE
    WHEN status = 'error' THEN NULL
    WHEN metric = 'credited' THEN CASE WHEN status = 'abstain' THEN 0 ELSE coalesce(credited, correct, false)::INTEGER END
    WHEN metric = 'correct' THEN CASE WHEN status = 'abstain' THEN 0 ELSE coalesce(correct::INTEGER, 0) END
    WHEN metric = 'score' THEN CASE WHEN status = 'abstain' THEN 0 ELSE score END
  END::DOUBLE;

-- JSON text as JSON, or NULL when it is not valid JSON (a string where an object was): never an error.
CREATE OR REPLACE MACRO json_or_null(text) AS CASE WHEN json_valid(text) THEN text::JSON END;
