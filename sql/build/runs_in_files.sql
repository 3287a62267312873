-- runs_in_files: the runs whose records come from the given log files.
-- kind: query
-- param: files VARCHAR[]  -- files (relative to the runs folder)
SELECT DISTINCT run_id FROM records WHERE file IN (SELECT unnest($files)) AND run_id IS NOT NULL
