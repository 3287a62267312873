-- pilot_items: per item of a suite both lanes answered, each lane's scored attempts and the sum of their values over all its runs on it (the pilot data `audition plan` reads).
-- kind: query
-- param: suite VARCHAR  -- the suite name
-- param: lane_a VARCHAR  -- one lane
-- param: lane_b VARCHAR  -- the other lane
WITH per_lane AS (
  SELECT r.lane, o.item_id, sum(o.attempts) AS attempts, sum(o.total) AS total
  FROM item_outcomes o
  JOIN runs r USING (run_id)
  WHERE r.suite = $suite AND r.lane IN ($lane_a, $lane_b)
  GROUP BY r.lane, o.item_id
)
SELECT a.item_id, a.attempts::INTEGER AS attempts_a, a.total::DOUBLE AS total_a, b.attempts::INTEGER AS attempts_b, b.total::DOUBLE AS total_b
FROM per_lane a
JOIN per_lane b ON a.item_id = b.item_id AND a.lane = $lane_a AND b.lane = $lane_b
WHERE a.attempts > 0 AND b.attempts > 0
ORDER BY a.item_id
