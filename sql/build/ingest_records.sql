-- ingest_records: appends every line of the given run logs to records, flattened with an explicit schema.
-- kind: statement
-- param: files VARCHAR[]  -- paths of the logs to read (plain or .gz)
-- param: root VARCHAR     -- prefix removed from each path to give `file` (the runs folder plus '/')
--
-- An explicit column schema reads any mix of files alike: keys it does not name are ignored, missing ones
-- are NULL, a value of another type is cast (a number where a string was) or becomes NULL. A line that
-- is not a JSON object becomes an all-NULL row (ignore_errors), which record_problem() then names.
-- Variable-key objects are read as VARCHAR, which keeps their JSON text. Response text is never read.
INSERT INTO records BY NAME
SELECT
  substr(filename, length($root) + 1) AS file,
  type,
  run_id,
  step_index,
  item_id,
  replicate,
  cluster,
  lane,
  status,
  evaluation.correct AS correct,
  evaluation.score AS score,
  evaluation.citations_evidence.coverage AS coverage,
  evaluation.citations_evidence.witness_pass AS witness_pass,
  evaluation.citations_evidence.credited AS credited,
  tokens.prompt AS tokens_prompt,
  tokens.completion AS tokens_completion,
  tokens.cached_read AS tokens_cached_read,
  tokens.cache_write AS tokens_cache_write,
  tokens.reasoning AS tokens_reasoning,
  parse_utc_timestamp(timing.started_at) AS started_at,
  timing.latency_ms AS latency_ms,
  timing.queue_ms AS queue_ms,
  timing.ttft_ms AS ttft_ms,
  attempts,
  cost_usd,
  error.kind AS error_kind,
  error.message AS error_message,
  error.http_status AS error_http_status,
  batch.id AS batch_id,
  task,
  "schema" AS schema_version,
  parse_utc_timestamp(created_at) AS created_at,
  created_by,
  notes,
  stage,
  suite,
  settings,
  provenance,
  parse_utc_timestamp(ended_at) AS ended_at,
  reason AS end_reason
FROM read_json(
  $files,
  format = 'newline_delimited',
  ignore_errors = true,
  filename = true,
  columns = {
    type: 'VARCHAR', run_id: 'VARCHAR', step_index: 'BIGINT', item_id: 'VARCHAR', replicate: 'BIGINT', cluster: 'VARCHAR',
    lane: 'VARCHAR', status: 'VARCHAR',
    evaluation: 'STRUCT(correct BOOLEAN, score DOUBLE, citations_evidence STRUCT(coverage DOUBLE, witness_pass BOOLEAN, credited BOOLEAN))',
    tokens: 'STRUCT(prompt BIGINT, completion BIGINT, cached_read BIGINT, cache_write BIGINT, reasoning BIGINT)',
    timing: 'STRUCT(started_at VARCHAR, latency_ms DOUBLE, queue_ms DOUBLE, ttft_ms DOUBLE)',
    attempts: 'BIGINT', cost_usd: 'DOUBLE',
    error: 'STRUCT(kind VARCHAR, message VARCHAR, http_status BIGINT)',
    batch: 'STRUCT(id VARCHAR)',
    task: 'VARCHAR',
    "schema": 'BIGINT', created_at: 'VARCHAR', created_by: 'VARCHAR', notes: 'VARCHAR', stage: 'VARCHAR',
    suite: 'VARCHAR', settings: 'VARCHAR', provenance: 'VARCHAR',
    ended_at: 'VARCHAR', reason: 'VARCHAR'
  }
);
