-- table_columns: the columns of one table, in order, with their types.
-- kind: query
-- internal: used by aggregate
-- param: table VARCHAR  -- the table
SELECT column_name, data_type
FROM information_schema.columns
WHERE table_name = $table AND table_schema = 'main'
ORDER BY ordinal_position
