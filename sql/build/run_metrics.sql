-- run_metrics: the outcome each run is scored on: credited when its steps carry it, else correct, else score.
-- kind: table
-- param: runs VARCHAR[] = NULL  -- only these runs' rows (an incremental aggregate refreshes the changed runs); NULL: every run
SELECT
  run_id,
  @{run_metric} AS metric
FROM records
WHERE type = 'step' AND NOT superseded AND ($runs IS NULL OR run_id IN (SELECT unnest($runs)))
GROUP BY run_id
