-- forget_runs: removes the runs rows of the given runs, before they are read again from their records.
-- kind: statement
-- internal: used by aggregate
-- param: runs VARCHAR[]  -- run ids
DELETE FROM runs WHERE run_id IN (SELECT unnest($runs))
