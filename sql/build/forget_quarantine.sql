-- forget_quarantine: removes the quarantined lines of the given files, before they are read again.
-- kind: statement
-- param: files VARCHAR[]  -- files (relative to the runs folder)
DELETE FROM quarantine WHERE file IN (SELECT unnest($files))
