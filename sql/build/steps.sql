-- steps: one row a step (the latest record per run, item and replicate), flattened, with its run's lane (and the registry's flags for it), dials, suite and provenance.
-- kind: view
--
-- metric is the run's outcome measure (credited, else correct, else score); value is the step's outcome on it:
-- 0 for a model failure, NULL for an infrastructure failure (failure says which; see step_charge and step_value in
-- macros.sql).
SELECT
  s.run_id,
  s.item_id,
  s.replicate,
  s.cluster,
  s.step_index,
  r.stage,
  r.suite,
  coalesce(r.lane, s.lane) AS lane,
  r.alias,
  r.provider,
  r.model,
  r.dials,
  r.lane_visible,
  r.lane_active,
  s.status,
  m.metric,
  step_value(m.metric, s.status, s.error_kind, s.task, s.credited, s.correct, s.score) AS value,
  s.correct,
  s.score,
  s.coverage,
  s.witness_pass,
  s.credited,
  s.tokens_prompt,
  s.tokens_completion,
  s.tokens_cached_read,
  s.tokens_cache_write,
  s.tokens_reasoning,
  s.started_at,
  s.latency_ms,
  s.queue_ms,
  s.ttft_ms,
  s.attempts,
  s.cost_usd,
  s.error_kind,
  step_charge(s.status, s.error_kind, s.task) AS failure,
  s.error_message,
  s.error_http_status,
  s.batch_id,
  s.task,
  r.audition_version,
  r.git_commit,
  r.node,
  r.host,
  s.file
FROM records s
LEFT JOIN runs r USING (run_id)
LEFT JOIN run_metrics m USING (run_id)
WHERE s.type = 'step' AND NOT s.superseded
