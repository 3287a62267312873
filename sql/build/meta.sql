-- meta: the build facts (layout version, options the derived tables were computed with, build time).
-- kind: query
SELECT key, value FROM meta ORDER BY key
