-- lane_generations: per lane, how many generations (steps) and runs its logs hold, and where: check before deleting a lane.
-- kind: query
-- param: lane VARCHAR = NULL  -- only this lane
SELECT
  lane,
  count(DISTINCT run_id) AS runs,
  count(DISTINCT file) AS files,
  count(*) AS generations,
  count(*) FILTER (WHERE status <> 'error') AS answered,
  string_agg(DISTINCT stage, ', ' ORDER BY stage) AS stages,
  min(started_at) AS first_at,
  max(started_at) AS last_at
FROM steps
WHERE $lane IS NULL OR lane = $lane
GROUP BY lane
ORDER BY generations DESC, lane
