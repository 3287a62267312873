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

-- Why a flattened line cannot be used (NULL when it can). One definition for ingest and quarantine.
CREATE OR REPLACE MACRO record_problem(type, run_id, item_id, replicate, status, schema_version, lane) AS
  CASE
    WHEN type IS NULL THEN 'unreadable'
    WHEN type NOT IN ('run_start', 'step', 'run_end') THEN 'unknown record type "' || type || '" (expected run_start, step or run_end)'
    WHEN run_id IS NULL THEN type || ' without run_id'
    WHEN type = 'step' AND item_id IS NULL THEN 'step without item_id'
    WHEN type = 'step' AND replicate IS NULL THEN 'step without an integer replicate'
    WHEN type = 'step' AND (status IS NULL OR status NOT IN ('ok', 'abstain', 'error')) THEN 'step status must be ok, abstain or error'
    WHEN type = 'run_start' AND schema_version IS DISTINCT FROM 1 THEN 'run_start schema is ' || coalesce(schema_version::VARCHAR, 'missing') || '; this audition reads schema 1'
    WHEN type = 'run_start' AND NOT coalesce(json_valid(lane), false) THEN 'run_start without a lane object'
    WHEN type = 'run_start' AND json_extract_string(lane, '$.slug') IS NULL THEN 'run_start without lane.slug'
    WHEN type = 'run_end' AND (status IS NULL OR status NOT IN ('completed', 'interrupted', 'failed')) THEN 'run_end status must be completed, interrupted or failed'
    ELSE NULL
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
