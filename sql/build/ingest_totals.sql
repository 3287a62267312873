-- ingest_totals: lines, records, quarantined lines, steps and superseded step records over the given files.
-- kind: query
-- param: files VARCHAR[]  -- files (relative to the runs folder)
SELECT
  coalesce(sum(lines), 0) AS lines,
  coalesce(sum(records), 0) AS records,
  coalesce(sum(quarantined), 0) AS quarantined,
  coalesce(sum(steps), 0) AS steps,
  coalesce(sum(superseded), 0) AS superseded
FROM files
WHERE file IN (SELECT unnest($files))
