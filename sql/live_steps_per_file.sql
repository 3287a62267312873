-- live_steps_per_file: per log file, how many of its step records are live (not superseded): one row a file in steps.csv.gz.
-- kind: query
-- internal: used by aggregate
SELECT file, count(*) AS rows
FROM records
WHERE type = 'step' AND NOT superseded
GROUP BY file
ORDER BY file
