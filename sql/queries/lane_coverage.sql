-- lane_coverage: per lane, steps planned (total), completed (ok or abstain), error and pending, over its runs (optionally one stage).
-- kind: query
-- param: stage VARCHAR = NULL  -- only runs in this stage
SELECT
  lane,
  count(*) AS runs,
  sum(expected_steps) AS total,
  sum(ok + abstain) AS completed,
  sum(errors) AS error,
  greatest(sum(expected_steps) - sum(ok + abstain + errors), 0) AS pending,
  round(100.0 * sum(ok + abstain) / nullif(sum(expected_steps), 0), 1) AS percent_done
FROM runs_summary
WHERE $stage IS NULL OR stage = $stage
GROUP BY lane
ORDER BY lane
