-- recent_errors: the latest error steps, newest first, with their kind, HTTP status and message (optionally one lane).
-- kind: query
-- param: limit INTEGER = 20  -- how many
-- param: lane VARCHAR = NULL  -- only this lane
SELECT
  started_at,
  run_id,
  lane,
  item_id,
  replicate,
  error_kind,
  error_http_status,
  attempts,
  error_message
FROM steps
WHERE status = 'error' AND ($lane IS NULL OR lane = $lane)
ORDER BY started_at DESC NULLS LAST
LIMIT $limit
