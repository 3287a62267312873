-- problem_lines: for one log, the position among its non-blank lines and the problem of every line that cannot be used.
-- kind: query
-- param: path VARCHAR  -- the log's path
SELECT ordinality AS ordinal, problem
FROM (
  SELECT ordinality, @{record_problem} AS problem
  FROM read_json(
    [$path],
    format = 'newline_delimited',
    ignore_errors = true,
    columns = @{record_read_columns}
  ) WITH ORDINALITY
)
WHERE problem IS NOT NULL
ORDER BY ordinality
