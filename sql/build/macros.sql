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

-- Whose failure an error step is, generated from core/errorKinds.ts: 'model' (a failed attempt, worth 0) or
-- 'infrastructure' (missing data, sent again by --resume); NULL for a step that did not fail.
CREATE OR REPLACE MACRO step_charge(status, error_kind, task) AS
  @{step_charge};

-- A step's outcome on its run's metric, generated from core/metric.ts (the rule `audition status` uses too):
-- credited/correct as 1 or 0 (an abstention, a model failure or a missing verdict is 0), score as written; NULL
-- for an infrastructure failure. In a credited run a closed-book item (no passages, credited NULL) counts as correct.
CREATE OR REPLACE MACRO step_value(metric, status, error_kind, task, @{step_value_parameters}) AS
  @{step_value};

-- JSON text as JSON, or NULL when it is not valid JSON (a string where an object was): never an error.
CREATE OR REPLACE MACRO json_or_null(text) AS CASE WHEN json_valid(text) THEN text::JSON END;
