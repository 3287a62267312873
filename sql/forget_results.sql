-- forget_results: removes the result rows of the suites in recomputed_suites, before they are written again.
-- kind: script
-- internal: used by aggregate
DELETE FROM model_ranking WHERE suite IN (SELECT suite FROM recomputed_suites);
DELETE FROM lane_pairs WHERE suite IN (SELECT suite FROM recomputed_suites);
DELETE FROM best_settings WHERE suite IN (SELECT suite FROM recomputed_suites);
DELETE FROM dial_effects WHERE suite IN (SELECT suite FROM recomputed_suites);
