-- model_steps_rows: by_model_steps over the lanes the registry shows, in its order (provider, model), for INSIGHTS.md.
-- kind: query
SELECT * FROM by_model_steps WHERE lane_visible ORDER BY provider, model
