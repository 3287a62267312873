-- schema: the tables `audition aggregate` keeps in runs/_aggregated/audition.duckdb.
-- kind: script
--
-- records holds every accepted run-log line, flattened by the contract's field table (core/record.ts); variable-key
-- objects (lane, suite, settings, provenance, task) are kept as JSON text. A step superseded by a
-- later record with the same (run_id, item_id, replicate) keeps its row with superseded = true, so
-- for every file: rows in records + rows in quarantine = non-blank lines read.

CREATE TABLE IF NOT EXISTS records (
  file VARCHAR NOT NULL,
  type VARCHAR,
  @{record_table_columns},
  -- why the line cannot be used (its row is then removed and the line quarantined); NULL for every kept row
  problem VARCHAR,
  superseded BOOLEAN NOT NULL DEFAULT false
);

-- One row a log file ever ingested; present = false once it has vanished (archived): its rows stay.
CREATE TABLE IF NOT EXISTS files (
  file VARCHAR PRIMARY KEY,
  size BIGINT NOT NULL,
  mtime_ms DOUBLE NOT NULL,
  lines BIGINT NOT NULL,
  records BIGINT NOT NULL,
  steps BIGINT NOT NULL,
  superseded BIGINT NOT NULL,
  quarantined BIGINT NOT NULL,
  ingested_at TIMESTAMP NOT NULL,
  present BOOLEAN NOT NULL
);

-- Lines that could not be used: truncated, malformed, or missing what makes a record usable.
CREATE TABLE IF NOT EXISTS quarantine (
  file VARCHAR NOT NULL,
  line BIGINT NOT NULL,
  reason VARCHAR NOT NULL,
  text VARCHAR,
  ingested_at TIMESTAMP NOT NULL
);

-- The lane registry's flags as of this build (DuckDB or PostgreSQL, read by the caller): which lanes rankings and
-- reports show. A lane the registry does not hold (a log from elsewhere) is shown; its lane_active is NULL.
CREATE TABLE IF NOT EXISTS lane_flags (
  slug VARCHAR PRIMARY KEY,
  active BOOLEAN NOT NULL,
  visible BOOLEAN NOT NULL
);

-- Build facts (schema version, options the derived tables were computed with).
CREATE TABLE IF NOT EXISTS meta (
  key VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL
);
