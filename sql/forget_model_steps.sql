-- forget_model_steps: removes the by_model_steps rows of the given models, before they are summarised again.
-- kind: statement
-- internal: used by aggregate
-- param: models VARCHAR[]  -- model names
DELETE FROM by_model_steps WHERE model IN (SELECT unnest($models))
