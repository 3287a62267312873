-- pooled_task_settings: visible lanes whose runs on one suite used more than one set of task settings (model_ranking pools them; best_settings keeps them apart).
-- kind: query
SELECT
  suite,
  lane,
  list(DISTINCT json_extract(settings, '$.task')::VARCHAR ORDER BY json_extract(settings, '$.task')::VARCHAR) AS variants
FROM runs
WHERE lane_visible AND json_extract(settings, '$.task') IS NOT NULL
GROUP BY suite, lane
HAVING count(DISTINCT json_extract(settings, '$.task')::VARCHAR) > 1
ORDER BY suite, lane
