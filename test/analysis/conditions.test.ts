// A ranking row is a condition: a lane under one set of task settings. Labels and rates below are worked out by hand.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { conditionOf } from '../../analysis/conditions.ts';
import { indexOutcomes, visibleLanes, type ItemOutcome, type RunInfo } from '../../analysis/outcomes.ts';
import { rankLanes } from '../../analysis/ranking.ts';

/** Every mcq task setting at its default, as a run log records it (parseTaskSettings fills them in). */
const MCQ_DEFAULTS = { kind: 'mcq', cards_budget: 6, max_learn_boosts: 2, idk: false, strict_evidence: false, sc: 1, sc_extract: 1, best_of: 1, tau: 0.5 };

function run(runId: string, lane: string, task: Record<string, unknown>, scores: number[]): { run: RunInfo; outcomes: ItemOutcome[] } {
  const total = scores.reduce((a, b) => a + b, 0);
  return {
    run: {
      runId, lane, model: 'm', provider: 'sim', suite: 's', metric: 'correct', visible: true, laneDials: { temperature: 0.7 }, settings: { replicates: 1, task: { ...MCQ_DEFAULTS, ...task } },
      tally: { steps: scores.length, scored: scores.length, modelFailures: 0, missing: 0, abstains: 0, total },
    },
    outcomes: scores.map((v, i) => ({ runId, item: `q${i}`, cluster: null, attempts: 1, total: v })),
  };
}

const condition = suite('conditionOf');

condition('a lane whose every task setting is its default is labelled by the lane alone', () => {
  assert.equal(conditionOf({ lane: 'strong.t0-7', settings: { task: MCQ_DEFAULTS } }), { label: 'strong.t0-7', taskSettings: '{}' });
});

condition('the label names only the settings that differ from their defaults, in the order run --help lists them', () => {
  assert.equal(conditionOf({ lane: 'strong.t0-7', settings: { task: { ...MCQ_DEFAULTS, sc: 3 } } }), { label: 'strong.t0-7 · sc3', taskSettings: '{"sc":3}' });
  const session = conditionOf({ lane: 'strong.t0-7', settings: { task: { ...MCQ_DEFAULTS, kind: 'session', idk: true, best_of: 4, context_limit: 8000, trim_threshold: 0.8, trim_target: 0.5, trim_strategy: 'importance' } } });
  assert.is(session.label, 'strong.t0-7 · session · idk · bo4 · ctx8000 · trim-importance');
  assert.is(session.taskSettings, '{"best_of":4,"context_limit":8000,"idk":true,"kind":"session","trim_strategy":"importance"}');
  assert.is(conditionOf({ lane: 'l', settings: { task: { ...MCQ_DEFAULTS, cards_budget: 4, idk: false } } }).label, 'l · cards4');
});

condition('a setting the log left out is its default: it matches a log that recorded the default', () => {
  assert.equal(conditionOf({ lane: 'l', settings: { task: { kind: 'mcq', sc: 3 } } }), conditionOf({ lane: 'l', settings: { task: { ...MCQ_DEFAULTS, sc: 3 } } }));
});

condition('logs with task settings at the top level: run control is left out, unknown keys are named', () => {
  assert.equal(conditionOf({ lane: 'l', settings: { replicates: 3, seed: 7, sc: 3, foo: 'x' } }), { label: 'l · sc3 · foo=x', taskSettings: '{"foo":"x","sc":3}' });
});

const ranking = suite('rankLanes conditions');

ranking('one lane run with sc 1 and sc 3 gives two rows; identical settings pool into one', () => {
  // sc 1: two runs of the same ten items, 5 and 7 right → 12 of 20 attempts, 0.6; sc 3: one run, 9 of 10 → 0.9.
  const parts = [
    run('r1', 'strong.t0-7', {}, [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]),
    run('r2', 'strong.t0-7', { sc: 3 }, [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]),
    run('r3', 'strong.t0-7', { sc: 1 }, [1, 1, 1, 1, 1, 1, 1, 0, 0, 0]),
  ];
  const runs = parts.map((p) => p.run);
  const rows = rankLanes(runs, indexOutcomes(parts.flatMap((p) => p.outcomes)), visibleLanes(runs));
  assert.equal(rows.map((r) => [r.lane, r.condition, r.task_settings, r.runs, r.n, r.attempted]), [
    ['strong.t0-7', 'strong.t0-7 · sc3', '{"sc":3}', 1, 10, 10],
    ['strong.t0-7', 'strong.t0-7', '{}', 2, 10, 20],
  ]);
  assert.equal(rows.map((r) => r.rate), [0.9, 0.6]);
  assert.equal(rows.map((r) => r.method), ['wilson', 'logit-t'], 'the sc 1 row has two attempts an item: replicates, not more items');
});

ranking('ranks are within a suite and metric over conditions: a lane under other settings is ranked on its own', () => {
  const hi = Array.from({ length: 100 }, (_, i) => (i % 10 < 9 ? 1 : 0));
  const lo = Array.from({ length: 100 }, (_, i) => (i % 10 < 3 ? 1 : 0));
  const parts = [run('a1', 'a.t0-7', {}, lo), run('a2', 'a.t0-7', { sc: 3 }, hi), run('b1', 'b.t0-7', {}, hi)];
  const runs = parts.map((p) => p.run);
  const rows = rankLanes(runs, indexOutcomes(parts.flatMap((p) => p.outcomes)), visibleLanes(runs));
  assert.equal(rows.map((r) => [r.condition, r.rank]), [['a.t0-7 · sc3', 1], ['b.t0-7', 1], ['a.t0-7', 3]],
    'pooled, a.t0-7 would be one row at 60 %, below b.t0-7');
});

condition.run();
ranking.run();
