-- runs_summary: one row a run: lane, suite, settings, progress by status, rate on its metric, tokens, cost, latency, final status.
-- kind: table
-- param: runs VARCHAR[] = NULL  -- only these runs' rows (an incremental aggregate refreshes the changed runs); NULL: every run
--
-- status is the latest run_end's status, or 'open' when the log has no run_end (a live run, or one that
-- was killed before it could write one). expected_steps = items planned × replicates.
WITH per_run AS (
  -- Straight from records (not the steps view), filtered before the aggregation: a filter on the result would
  -- aggregate every run first.
  SELECT
    s.run_id,
    any_value(m.metric) AS metric,
    count(*) AS steps,
    count(*) FILTER (WHERE s.status = 'ok') AS ok,
    count(*) FILTER (WHERE s.status = 'abstain') AS abstain,
    count(*) FILTER (WHERE s.status = 'error') AS errors,
    count(DISTINCT s.item_id) AS items,
    max(s.replicate) + 1 AS replicates_seen,
    avg(step_value(m.metric, s.status, s.error_kind, s.task, s.credited, s.correct, s.score)) AS rate,
    sum(s.tokens_prompt) AS tokens_prompt,
    sum(s.tokens_completion) AS tokens_completion,
    sum(s.tokens_cached_read) AS tokens_cached_read,
    sum(s.tokens_cache_write) AS tokens_cache_write,
    sum(s.tokens_reasoning) AS tokens_reasoning,
    sum(s.cost_usd) AS cost_usd,
    avg(s.latency_ms) AS latency_ms_mean,
    quantile_cont(s.latency_ms, [0.5, 0.95]) AS latency_ms_quantiles,
    avg((s.tokens_cached_read > 0)::INTEGER) AS cache_hit_share,
    min(s.started_at) AS first_step_at,
    max(s.started_at) AS last_step_at
  FROM records s
  LEFT JOIN run_metrics m USING (run_id)
  WHERE s.type = 'step' AND NOT s.superseded AND ($runs IS NULL OR s.run_id IN (SELECT unnest($runs)))
  GROUP BY s.run_id
)
SELECT
  r.run_id,
  r.created_at,
  r.stage,
  r.lane,
  r.alias,
  r.provider,
  r.model,
  r.dials,
  r.lane_visible,
  r.lane_active,
  r.suite,
  r.suite_sha256,
  r.settings,
  r.task_kind,
  coalesce(p.metric, 'none') AS metric,
  coalesce(least(r.suite_items, r.item_limit), r.suite_items) * r.replicates AS expected_steps,
  coalesce(p.steps, 0) AS steps,
  coalesce(p.ok, 0) AS ok,
  coalesce(p.abstain, 0) AS abstain,
  coalesce(p.errors, 0) AS errors,
  coalesce(p.items, 0) AS items,
  p.replicates_seen,
  p.rate,
  p.tokens_prompt,
  p.tokens_completion,
  p.tokens_cached_read,
  p.tokens_cache_write,
  p.tokens_reasoning,
  p.cost_usd,
  p.latency_ms_mean,
  p.latency_ms_quantiles[1] AS latency_ms_p50,
  p.latency_ms_quantiles[2] AS latency_ms_p95,
  p.cache_hit_share,
  p.first_step_at,
  p.last_step_at,
  r.ended_at,
  coalesce(r.end_status, 'open') AS status,
  r.end_reason,
  r.created_by,
  r.notes,
  r.audition_version,
  r.git_commit,
  r.node,
  r.host,
  r.file
FROM runs r
LEFT JOIN per_run p USING (run_id)
WHERE $runs IS NULL OR r.run_id IN (SELECT unnest($runs))
