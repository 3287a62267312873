-- files_state: what the database knows of every log file it has read: size and mtime when read, and whether it is still there.
-- kind: query
SELECT file, size, mtime_ms, present FROM files
