-- refresh_file_counts: recounts step and superseded records of the files that share a run with the files just read.
-- kind: statement
-- param: files VARCHAR[]  -- the files just read (superseding across files changes only files that share their runs)
UPDATE files
SET steps = c.steps, superseded = c.superseded
FROM (
  SELECT file, count(*) FILTER (WHERE type = 'step') AS steps, count(*) FILTER (WHERE superseded) AS superseded
  FROM records
  WHERE run_id IN (SELECT DISTINCT run_id FROM records WHERE file IN (SELECT unnest($files)))
  GROUP BY file
) AS c
WHERE files.file = c.file
