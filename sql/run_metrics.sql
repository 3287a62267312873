-- run_metrics: the outcome each run is scored on: credited when its steps carry it, else correct, else score.
-- kind: table
SELECT
  run_id,
  CASE
    WHEN count(credited) > 0 THEN 'credited'
    WHEN count(correct) > 0 THEN 'correct'
    WHEN count(score) > 0 THEN 'score'
  END AS metric
FROM records
WHERE type = 'step' AND NOT superseded
GROUP BY run_id
