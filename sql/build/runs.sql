-- runs: one row a run, from its run_start (lane, suite, settings, provenance), its resumes and its latest run_end, with its lane's registry flags.
-- kind: table
-- param: runs VARCHAR[] = NULL  -- only these runs' rows (an incremental aggregate refreshes the changed runs); NULL: every run
--
-- settings are the ones the run started with; each resume's (and the flags that overrode them) are in its
-- run_resume record (records WHERE type = 'run_resume'). Variable-key objects (dials, settings) stay JSON text (VARCHAR): DuckDB's JSON functions read it, and
-- Parquet readers see a string column. The lane's flags come from the registry (lane_flags), not from the copy
-- of the lane in the log: the registry decides what is shown. A lane it does not hold is visible, active unknown.
WITH starts AS (
  SELECT * REPLACE (json_or_null(lane) AS lane, json_or_null(suite) AS suite, json_or_null(settings) AS settings, json_or_null(provenance) AS provenance)
  FROM records
  WHERE type = 'run_start' AND ($runs IS NULL OR run_id IN (SELECT unnest($runs)))
  QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY created_at, file) = 1
),
ends AS (
  SELECT run_id, ended_at, status AS end_status, end_reason
  FROM records
  WHERE type = 'run_end' AND ($runs IS NULL OR run_id IN (SELECT unnest($runs)))
  QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY ended_at DESC NULLS LAST, file DESC) = 1
),
resumes AS (
  SELECT run_id, count(*) AS resumes, max(resumed_at) AS last_resumed_at
  FROM records
  WHERE type = 'run_resume' AND ($runs IS NULL OR run_id IN (SELECT unnest($runs)))
  GROUP BY run_id
)
SELECT
  s.run_id,
  s.file,
  s.created_at,
  s.created_by,
  s.notes,
  s.stage,
  json_extract_string(s.lane, '$.slug') AS lane,
  json_extract_string(s.lane, '$.alias') AS alias,
  json_extract_string(s.lane, '$.provider') AS provider,
  json_extract_string(s.lane, '$.model') AS model,
  json_extract_string(s.lane, '$.backend') AS backend,
  coalesce(json_extract(s.lane, '$.dials'), '{}')::VARCHAR AS dials,
  coalesce(f.visible, true) AS lane_visible,
  f.active AS lane_active,
  json_extract_string(s.suite, '$.name') AS suite,
  json_extract_string(s.suite, '$.path') AS suite_path,
  json_extract_string(s.suite, '$.sha256') AS suite_sha256,
  try_cast(json_extract_string(s.suite, '$.n_items') AS BIGINT) AS suite_items,
  s.settings::VARCHAR AS settings,
  coalesce(try_cast(json_extract_string(s.settings, '$.replicates') AS BIGINT), 1) AS replicates,
  try_cast(json_extract_string(s.settings, '$.limit') AS BIGINT) AS item_limit,
  json_extract(s.settings, '$.task')::VARCHAR AS task_settings,
  json_extract_string(s.settings, '$.task.kind') AS task_kind,
  json_extract_string(s.provenance, '$.audition_version') AS audition_version,
  json_extract_string(s.provenance, '$.git_commit') AS git_commit,
  json_extract_string(s.provenance, '$.node') AS node,
  json_extract_string(s.provenance, '$.host') AS host,
  coalesce(r.resumes, 0) AS resumes,
  r.last_resumed_at,
  e.ended_at,
  e.end_status,
  e.end_reason
FROM starts s
LEFT JOIN resumes r USING (run_id)
LEFT JOIN ends e USING (run_id)
LEFT JOIN lane_flags f ON f.slug = json_extract_string(s.lane, '$.slug')
