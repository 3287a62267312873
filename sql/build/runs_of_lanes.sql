-- runs_of_lanes: the runs of the given lanes (whose registry flags changed, so their rows are computed again).
-- kind: query
-- param: lanes VARCHAR[]  -- lane slugs
SELECT run_id FROM runs WHERE lane IN (SELECT unnest($lanes)) ORDER BY run_id
