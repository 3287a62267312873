-- forget_runs_summary: removes the runs_summary rows of the given runs, before they are summarised again.
-- kind: statement
-- internal: used by aggregate
-- param: runs VARCHAR[]  -- run ids
DELETE FROM runs_summary WHERE run_id IN (SELECT unnest($runs))
