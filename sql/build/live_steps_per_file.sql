-- live_steps_per_file: per log file, how many of its step records are live (not superseded): one row a file in steps.csv.gz.
-- kind: query
--
-- From the files table's counts (kept exact by ingest), not a scan of every record.
SELECT file, steps - superseded AS rows
FROM files
WHERE steps > superseded
ORDER BY file
