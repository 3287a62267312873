-- item_outcomes_of_runs: the item_outcomes rows of some runs (the suites an incremental aggregate recomputes), one row a run.
-- kind: query
-- param: runs VARCHAR[] = NULL  -- run ids; NULL: every run
--
-- One row a run with its items as lists: converting DuckDB strings to JavaScript dominates the reading, and this
-- way each run id is converted once, not once an item.
SELECT
  run_id,
  list(item_id) AS items,
  list(cluster) AS clusters,
  list(attempts) AS attempts,
  list(total) AS totals
FROM item_outcomes
WHERE $runs IS NULL OR run_id IN (SELECT unnest($runs))
GROUP BY run_id
