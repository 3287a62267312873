-- mark_present: notes that log files once gone are back, unchanged.
-- kind: statement
-- param: files VARCHAR[]  -- files (relative to the runs folder)
UPDATE files SET present = true WHERE file IN (SELECT unnest($files))
