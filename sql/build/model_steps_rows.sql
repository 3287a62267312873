-- model_steps_rows: by_model_steps in its order (provider, model): an incremental aggregate appends refreshed rows.
-- kind: query
SELECT * FROM by_model_steps ORDER BY provider, model
