-- forget_file_rows: removes the files-table rows of the given files, before they are written again.
-- kind: statement
-- param: files VARCHAR[]  -- files (relative to the runs folder)
DELETE FROM files WHERE file IN (SELECT unnest($files))
