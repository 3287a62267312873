-- analysis_runs: what the statistics need to know of each run: lane, model, suite, metric, visibility, dials and task settings.
-- kind: query
SELECT
  r.run_id,
  r.lane,
  r.alias,
  r.provider,
  r.model,
  r.suite,
  m.metric,
  r.lane_visible AS visible,
  r.dials,
  r.settings
FROM runs r
LEFT JOIN run_metrics m USING (run_id)
ORDER BY r.created_at, r.run_id
