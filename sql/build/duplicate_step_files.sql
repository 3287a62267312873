-- duplicate_step_files: which of the given files hold two records of one step (a resumed run that retried it).
-- kind: query
-- param: files VARCHAR[]  -- files (relative to the runs folder)
SELECT DISTINCT file
FROM (
  SELECT file
  FROM records
  WHERE type = 'step' AND file IN (SELECT unnest($files))
  GROUP BY file, @{step_key}
  HAVING count(*) > 1
)
