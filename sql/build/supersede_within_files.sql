-- supersede_within_files: marks every record of a step but its last line, in files that were read in file order.
-- kind: statement
-- param: files VARCHAR[]  -- files read with insertion order preserved, so rowid follows the line order
UPDATE records SET superseded = true
WHERE rowid IN (
  SELECT rowid
  FROM records
  WHERE type = 'step' AND file IN (SELECT unnest($files))
  QUALIFY rowid < max(rowid) OVER (PARTITION BY file, @{step_key})
)
