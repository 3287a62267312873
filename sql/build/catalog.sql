-- catalog: one row a run, newest first: when, where, which lane on which suite, how far it got, its rate and cost, and its log file.
-- kind: view
SELECT
  created_at,
  run_id,
  stage,
  lane,
  lane_visible,
  lane_active,
  model,
  suite,
  status,
  steps,
  expected_steps,
  ok,
  abstain,
  errors,
  metric,
  rate,
  cost_usd,
  created_by,
  notes,
  file
FROM runs_summary
ORDER BY created_at DESC, run_id DESC
