-- ingest_records: appends every line of the given run logs to records, flattened by the run-log contract.
-- kind: statement
-- param: files VARCHAR[]  -- paths of the logs to read (plain or .gz)
-- param: root VARCHAR     -- prefix removed from each path to give `file` (the runs folder plus '/')
--
-- The columns, the flattening and the problem of each line are generated from the contract's field table
-- (core/record.ts, analysis/aggregate/recordSql.ts). An explicit column schema reads any mix of files alike: keys it
-- does not name are ignored, missing ones are NULL; the fields a record cannot do without are read as JSON, so a
-- value of another type is seen rather than cast. A line that is not a JSON object becomes an all-NULL row
-- (ignore_errors), whose problem is 'unreadable'. Response text is never read.
INSERT INTO records BY NAME
SELECT
  substr(filename, length($root) + 1) AS file,
  type,
  @{record_select},
  @{record_problem} AS problem
FROM read_json(
  $files,
  format = 'newline_delimited',
  ignore_errors = true,
  filename = true,
  columns = @{record_read_columns}
)
