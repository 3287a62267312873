-- lane_flags_rows: the registry's flags as the last build stored them, by slug.
-- kind: query
SELECT slug, active, visible FROM lane_flags ORDER BY slug
