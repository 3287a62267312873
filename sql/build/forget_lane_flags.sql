-- forget_lane_flags: removes the stored registry flags, before the current ones are written.
-- kind: statement
DELETE FROM lane_flags
