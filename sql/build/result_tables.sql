-- result_tables: the tables the statistics write back (rebuilt on every aggregate); NULL where a value cannot be computed.
-- kind: script
-- A model_ranking row is a condition: a lane under one set of task settings (task_settings: the non-default ones as JSON).
CREATE OR REPLACE TABLE model_ranking (
  suite VARCHAR, metric VARCHAR, lane VARCHAR, condition VARCHAR, task_settings VARCHAR, model VARCHAR, provider VARCHAR, runs BIGINT,
  n BIGINT, clusters BIGINT, attempted BIGINT, scored BIGINT, model_failure_rate DOUBLE, missing_rate DOUBLE, abstain_rate DOUBLE,
  answered_accuracy DOUBLE, rate DOUBLE, se DOUBLE, ci_lo DOUBLE, ci_hi DOUBLE, method VARCHAR, rank BIGINT,
  design_effect DOUBLE
);
CREATE OR REPLACE TABLE lane_pairs (
  suite VARCHAR, metric VARCHAR, lane_a VARCHAR, lane_b VARCHAR, model_a VARCHAR, model_b VARCHAR,
  n_items BIGINT, clusters BIGINT, rate_a DOUBLE, rate_b DOUBLE, diff DOUBLE, se DOUBLE, ci_lo DOUBLE, ci_hi DOUBLE, df DOUBLE,
  correlation DOUBLE, mde DOUBLE, test VARCHAR, discordant_a BIGINT, discordant_b BIGINT,
  p_value DOUBLE, p_holm DOUBLE, q_bh DOUBLE, significant BOOLEAN,
  task_settings VARCHAR, condition_a VARCHAR, condition_b VARCHAR,
  adjusted_ci_lo DOUBLE, adjusted_ci_hi DOUBLE, family VARCHAR, family_size BIGINT
);
CREATE OR REPLACE TABLE best_settings (
  suite VARCHAR, metric VARCHAR, model VARCHAR, baseline_lane VARCHAR, baseline_setting VARCHAR, baseline_rate DOUBLE, settings BIGINT,
  best_setting VARCHAR, best_lane VARCHAR, best_rate DOUBLE, diff DOUBLE, ci_lo DOUBLE, ci_hi DOUBLE, p_holm DOUBLE, n_items BIGINT,
  verdict VARCHAR, tied_settings VARCHAR,
  test VARCHAR, p_value DOUBLE, adjusted_ci_lo DOUBLE, adjusted_ci_hi DOUBLE, family VARCHAR, family_size BIGINT
);
CREATE OR REPLACE TABLE dial_effects (
  suite VARCHAR, metric VARCHAR, model VARCHAR, dial VARCHAR, from_value VARCHAR, to_value VARCHAR, held_fixed VARCHAR,
  lane_from VARCHAR, lane_to VARCHAR, n_items BIGINT, clusters BIGINT, rate_from DOUBLE, rate_to DOUBLE,
  diff DOUBLE, se DOUBLE, ci_lo DOUBLE, ci_hi DOUBLE, mde DOUBLE, test VARCHAR, p_value DOUBLE, p_holm DOUBLE, q_bh DOUBLE, significant BOOLEAN,
  adjusted_ci_lo DOUBLE, adjusted_ci_hi DOUBLE, family VARCHAR, family_size BIGINT
);
