-- forget_run_metrics: removes the run_metrics rows of the given runs, before they are chosen again from their steps.
-- kind: statement
-- internal: used by aggregate
-- param: runs VARCHAR[]  -- run ids
DELETE FROM run_metrics WHERE run_id IN (SELECT unnest($runs))
