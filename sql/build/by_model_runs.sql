-- by_model_runs: per provider and model, over runs: how many, in which lanes, suites and stages, how they ended, what they cost.
-- kind: view
SELECT
  provider,
  model,
  count(*) AS runs,
  count(DISTINCT lane) AS lanes,
  count(DISTINCT suite) AS suites,
  string_agg(DISTINCT stage, ', ' ORDER BY stage) AS stages,
  count(*) FILTER (WHERE status = 'completed') AS completed,
  count(*) FILTER (WHERE status = 'interrupted') AS interrupted,
  count(*) FILTER (WHERE status = 'failed') AS failed,
  count(*) FILTER (WHERE status = 'open') AS open,
  sum(steps) AS steps,
  sum(expected_steps) AS expected_steps,
  sum(errors) AS errors,
  sum(cost_usd) AS cost_usd,
  min(created_at) AS first_run_at,
  max(created_at) AS last_run_at
FROM runs_summary
GROUP BY provider, model
ORDER BY provider, model
