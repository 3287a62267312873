-- error_kinds: per provider and model, how many error steps of each kind, most frequent first.
-- kind: query
-- param: hidden BOOLEAN = true  -- count the steps of lanes the registry hides too (INSIGHTS.md leaves them out)
SELECT provider, model, error_kind, count(*) AS steps, max(started_at) AS last_at
FROM steps
WHERE status = 'error' AND (lane_visible OR $hidden)
GROUP BY provider, model, error_kind
ORDER BY provider, model, steps DESC, error_kind
