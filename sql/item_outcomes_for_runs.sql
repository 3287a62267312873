-- item_outcomes_for_runs: item_outcomes restricted to some runs (the suites an incremental aggregate recomputes).
-- kind: query
-- internal: used by aggregate
-- param: runs VARCHAR[]  -- run ids
--
-- The filter sits before the aggregation (a filter on the view would aggregate every run first).
SELECT
  s.run_id,
  s.item_id,
  any_value(s.cluster) AS cluster,
  count(step_value(m.metric, s.status, s.credited, s.correct, s.score))::INTEGER AS attempts,
  coalesce(sum(step_value(m.metric, s.status, s.credited, s.correct, s.score)), 0)::DOUBLE AS total,
  (count(*) FILTER (WHERE s.status = 'error'))::INTEGER AS errors
FROM records s
JOIN run_metrics m USING (run_id)
WHERE s.type = 'step' AND NOT s.superseded AND s.run_id IN (SELECT unnest($runs))
GROUP BY s.run_id, s.item_id
