-- refresh_file_counts: recounts step and superseded records per file after superseding across files.
-- kind: statement
UPDATE files
SET steps = c.steps, superseded = c.superseded
FROM (
  SELECT file, count(*) FILTER (WHERE type = 'step') AS steps, count(*) FILTER (WHERE superseded) AS superseded
  FROM records
  GROUP BY file
) AS c
WHERE files.file = c.file
