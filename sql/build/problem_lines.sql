-- problem_lines: for one log, the position among its non-blank lines and the problem of every line that cannot be used.
-- kind: query
-- param: path VARCHAR  -- the log's path
SELECT ordinality AS ordinal, problem
FROM (
  SELECT ordinality, record_problem(type, run_id, item_id, replicate, status, "schema", lane) AS problem
  FROM read_json(
    [$path],
    format = 'newline_delimited',
    ignore_errors = true,
    columns = {
      type: 'VARCHAR', run_id: 'VARCHAR', item_id: 'VARCHAR', replicate: 'BIGINT', status: 'VARCHAR', "schema": 'BIGINT', lane: 'VARCHAR'
    }
  ) WITH ORDINALITY
)
WHERE problem IS NOT NULL
ORDER BY ordinality
