-- forget_item_outcomes: removes the item_outcomes rows of the given runs, before they are summarised again.
-- kind: statement
-- param: runs VARCHAR[]  -- run ids
DELETE FROM item_outcomes WHERE run_id IN (SELECT unnest($runs))
