-- item_outcomes: per run and item, the scored attempts (infrastructure failures excluded), the sum of their values and the steps by outcome; the input of the statistics.
-- kind: table
-- param: runs VARCHAR[] = NULL  -- only these runs' rows (an incremental aggregate refreshes the changed runs); NULL: every run
--
-- A table, not a view: the statistics of a changed lane compare it with every lane of its suite, and aggregating
-- those lanes' steps again on every build would cost as much as all the rest of an incremental build. The same
-- value as the steps view, computed straight from records (no join with runs), filtered before the aggregation.
-- steps counts every latest step record; model_failures (worth 0) and missing (infrastructure failures, no value)
-- split the errors by step_charge; abstains are worth 0.
SELECT
  s.run_id,
  s.item_id,
  any_value(s.cluster) AS cluster,
  count(step_value(m.metric, s.status, s.error_kind, s.task, s.credited, s.correct, s.score))::INTEGER AS attempts,
  coalesce(sum(step_value(m.metric, s.status, s.error_kind, s.task, s.credited, s.correct, s.score)), 0)::DOUBLE AS total,
  (count(*) FILTER (WHERE s.status = 'error'))::INTEGER AS errors,
  count(*)::INTEGER AS steps,
  (count(*) FILTER (WHERE step_charge(s.status, s.error_kind, s.task) = 'model'))::INTEGER AS model_failures,
  (count(*) FILTER (WHERE step_charge(s.status, s.error_kind, s.task) = 'infrastructure'))::INTEGER AS missing,
  (count(*) FILTER (WHERE s.status = 'abstain'))::INTEGER AS abstains
FROM records s
JOIN run_metrics m USING (run_id)
WHERE s.type = 'step' AND NOT s.superseded AND ($runs IS NULL OR s.run_id IN (SELECT unnest($runs)))
GROUP BY s.run_id, s.item_id
