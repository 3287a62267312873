-- steps_of_files: the steps that come from the given log files (one part of the steps export).
-- kind: query
-- param: files VARCHAR[]  -- files (relative to the runs folder)
SELECT * FROM steps WHERE file IN (SELECT unnest($files))
