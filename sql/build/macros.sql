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

-- A step's outcome on its run's metric, generated from core/metric.ts (the rule `audition status` uses too):
-- credited/correct as 1 or 0 (an abstention or a missing verdict is 0), score as written; NULL for an error. In a
-- credited run a closed-book item (no passages, credited NULL) counts as correct.
CREATE OR REPLACE MACRO step_value(metric, status, @{step_value_parameters}) AS
  @{step_value};

-- JSON text as JSON, or NULL when it is not valid JSON (a string where an object was): never an error.
CREATE OR REPLACE MACRO json_or_null(text) AS CASE WHEN json_valid(text) THEN text::JSON END;
