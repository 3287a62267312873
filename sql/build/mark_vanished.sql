-- mark_vanished: notes that log files are gone from the runs folder (archived); their rows stay.
-- kind: statement
-- param: files VARCHAR[]  -- files (relative to the runs folder)
UPDATE files SET present = false WHERE file IN (SELECT unnest($files))
