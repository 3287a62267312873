-- touched_by_runs: the suites, lanes and models the given runs belong to, now (runs) or as last summarised (runs_summary).
-- kind: query
-- param: runs VARCHAR[]  -- run ids
--
-- Both: a log read again may have moved a run to another lane, suite or model, and the old one's rows must be
-- computed again too. Run before runs_summary is refreshed.
SELECT suite, lane, model FROM runs WHERE run_id IN (SELECT unnest($runs))
UNION
SELECT suite, lane, model FROM runs_summary WHERE run_id IN (SELECT unnest($runs))
