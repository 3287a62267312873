-- delete_problem_records: removes the rows of lines that cannot be used (they are in quarantine now).
-- kind: statement
-- param: files VARCHAR[]  -- files (relative to the runs folder)
DELETE FROM records
WHERE file IN (SELECT unnest($files))
  AND problem IS NOT NULL
