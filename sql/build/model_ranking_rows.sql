-- model_ranking_rows: the ranking as last computed, grouped by suite and metric, best first.
-- kind: query
SELECT * FROM model_ranking ORDER BY suite, metric, rank, rate DESC, condition
