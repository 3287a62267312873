-- analysis_runs: what the statistics need to know of each run: lane, model, suite, metric, visibility, dials, task settings and its steps by outcome.
-- kind: query
--
-- The step counts sum the run's item_outcomes rows (0 for a run without any): see item_outcomes for their meaning.
WITH tally AS (
  SELECT
    run_id,
    sum(steps)::BIGINT AS steps,
    sum(attempts)::BIGINT AS scored,
    sum(model_failures)::BIGINT AS model_failures,
    sum(missing)::BIGINT AS missing,
    sum(abstains)::BIGINT AS abstains,
    sum(total) AS total
  FROM item_outcomes
  GROUP BY run_id
)
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
  r.settings,
  coalesce(t.steps, 0) AS steps,
  coalesce(t.scored, 0) AS scored,
  coalesce(t.model_failures, 0) AS model_failures,
  coalesce(t.missing, 0) AS missing,
  coalesce(t.abstains, 0) AS abstains,
  coalesce(t.total, 0) AS total
FROM runs r
LEFT JOIN run_metrics m USING (run_id)
LEFT JOIN tally t USING (run_id)
ORDER BY r.created_at, r.run_id
