-- set_recomputed_suites: names the suites whose result rows an incremental aggregate replaces (see forget_results).
-- kind: statement
-- internal: used by aggregate
-- param: suites VARCHAR[]  -- suite names
CREATE OR REPLACE TEMP TABLE recomputed_suites AS SELECT unnest($suites) AS suite
