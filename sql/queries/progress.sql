-- progress: one run's steps by status, with cache hits (steps that read cached prompt tokens), tokens, cost and latency.
-- kind: query
-- param: run_id VARCHAR  -- the run
SELECT
  status,
  count(*) AS steps,
  round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS percent,
  count(*) FILTER (WHERE tokens_cached_read > 0) AS cache_hits,
  sum(tokens_cached_read) AS tokens_cached_read,
  sum(tokens_prompt) AS tokens_prompt,
  sum(cost_usd) AS cost_usd,
  avg(latency_ms) AS latency_ms_mean
FROM steps
WHERE run_id = $run_id
GROUP BY status
ORDER BY status
