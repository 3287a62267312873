-- forget_records: removes what was read from the given files, before they are read again.
-- kind: statement
-- param: files VARCHAR[]  -- files (relative to the runs folder)
DELETE FROM records WHERE file IN (SELECT unnest($files))
