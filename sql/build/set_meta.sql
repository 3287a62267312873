-- set_meta: records one build fact (layout version, options the results were computed with, build time).
-- kind: statement
-- param: key VARCHAR    -- the fact
-- param: value VARCHAR  -- its value
INSERT OR REPLACE INTO meta VALUES ($key, $value)
