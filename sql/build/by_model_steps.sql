-- by_model_steps: per provider and model, over every step, apart for lanes the registry shows and hides: counts by status, error share, tokens, cost and latency.
-- kind: table
-- param: models VARCHAR[] = NULL  -- only these models' rows (an incremental aggregate refreshes the models of changed runs); NULL: every model
WITH per_model AS (
  SELECT
    r.provider,
    r.model,
    r.lane_visible,
    count(*) AS steps,
    count(*) FILTER (WHERE s.status = 'ok') AS ok,
    count(*) FILTER (WHERE s.status = 'abstain') AS abstain,
    count(*) FILTER (WHERE s.status = 'error') AS errors,
    avg((s.status = 'error')::INTEGER) AS error_share,
    avg((s.status = 'abstain')::INTEGER) AS abstain_share,
    sum(s.tokens_prompt) AS tokens_prompt,
    sum(s.tokens_completion) AS tokens_completion,
    sum(s.tokens_cached_read) AS tokens_cached_read,
    sum(s.tokens_reasoning) AS tokens_reasoning,
    avg((s.tokens_cached_read > 0)::INTEGER) AS cache_hit_share,
    sum(s.cost_usd) AS cost_usd,
    sum(s.cost_usd) / count(*) * 1000 AS cost_usd_per_1k_steps,
    avg(s.latency_ms) AS latency_ms_mean,
    -- one list quantile sorts the latencies once, not once a quantile
    quantile_cont(s.latency_ms, [0.5, 0.95]) AS latency_ms_quantiles,
    avg(s.attempts) AS attempts_mean
  FROM records s
  JOIN runs r USING (run_id)
  WHERE s.type = 'step' AND NOT s.superseded AND ($models IS NULL OR r.model IN (SELECT unnest($models)))
  GROUP BY r.provider, r.model, r.lane_visible
),
per_run AS (
  SELECT provider, model, lane_visible, count(DISTINCT lane) AS lanes, count(*) AS runs
  FROM runs
  WHERE $models IS NULL OR model IN (SELECT unnest($models))
  GROUP BY provider, model, lane_visible
)
SELECT
  m.provider, m.model, m.lane_visible, p.lanes, p.runs,
  m.* EXCLUDE (provider, model, lane_visible, latency_ms_quantiles, attempts_mean),
  m.latency_ms_quantiles[1] AS latency_ms_p50,
  m.latency_ms_quantiles[2] AS latency_ms_p95,
  m.attempts_mean
FROM per_model m
JOIN per_run p USING (provider, model, lane_visible)
ORDER BY m.provider, m.model, m.lane_visible DESC
