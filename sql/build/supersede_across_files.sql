-- supersede_across_files: when a step has live records in two files (a copied or re-compressed log), keeps the newest file's.
-- kind: statement
-- param: files VARCHAR[]  -- the files just read: only the runs with a record in them can have gained a second file
UPDATE records SET superseded = true
WHERE rowid IN (
  WITH touched AS (
    SELECT DISTINCT run_id FROM records WHERE file IN (SELECT unnest($files))
  ),
  shared AS (
    SELECT run_id
    FROM records
    WHERE type = 'step' AND NOT superseded AND run_id IN (SELECT run_id FROM touched)
    GROUP BY run_id
    HAVING count(DISTINCT file) > 1
  )
  SELECT r.rowid
  FROM records r
  JOIN shared USING (run_id)
  LEFT JOIN files f USING (file)
  WHERE r.type = 'step' AND NOT r.superseded
  QUALIFY row_number() OVER (PARTITION BY @{step_key_of_r} ORDER BY f.mtime_ms DESC NULLS LAST, r.file DESC) > 1
)
