-- item_outcomes: per run and item, the scored attempts (errors excluded) and the sum of their values; the input of the statistics.
-- kind: view
--
-- The same value as the steps view, computed straight from records (no join with runs): every build reads it.
SELECT
  s.run_id,
  s.item_id,
  any_value(s.cluster) AS cluster,
  count(step_value(m.metric, s.status, s.credited, s.correct, s.score))::INTEGER AS attempts,
  coalesce(sum(step_value(m.metric, s.status, s.credited, s.correct, s.score)), 0)::DOUBLE AS total,
  (count(*) FILTER (WHERE s.status = 'error'))::INTEGER AS errors
FROM records s
JOIN run_metrics m USING (run_id)
WHERE s.type = 'step' AND NOT s.superseded
GROUP BY s.run_id, s.item_id
