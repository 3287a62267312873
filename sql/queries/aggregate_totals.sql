-- aggregate_totals: how much the database holds: log files, runs, live steps, quarantined lines, and lanes with runs that the registry hides.
-- kind: query
SELECT
  (SELECT count(*) FROM files) AS files,
  (SELECT count(*) FROM runs) AS runs,
  (SELECT coalesce(sum(steps - superseded), 0) FROM files) AS steps,
  (SELECT count(*) FROM quarantine) AS quarantined,
  (SELECT count(DISTINCT lane) FROM runs WHERE NOT lane_visible) AS hidden_lanes
