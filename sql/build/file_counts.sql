-- file_counts: per log file, the lines read, those with a problem, the step records and the superseded ones.
-- kind: query
-- param: files VARCHAR[]  -- files (relative to the runs folder)
SELECT
  file,
  count(*) AS lines,
  count(*) FILTER (WHERE problem IS NOT NULL) AS problems,
  count(*) FILTER (WHERE type = 'step') AS steps,
  count(*) FILTER (WHERE superseded) AS superseded
FROM records
WHERE file IN (SELECT unnest($files))
GROUP BY file
