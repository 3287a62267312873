-- existing_tables: which of the given names are tables of the database's main schema.
-- kind: query
-- param: names VARCHAR[]  -- table names
SELECT table_name
FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name IN (SELECT unnest($names))
