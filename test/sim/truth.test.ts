import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Lane } from '../../core/lane.ts';
import { createAdapter } from '../../pipelines/providers/sim.ts';
import { simTruth } from '../../pipelines/tasks/mcq/simulate.ts';
import { loadSuite } from '../../pipelines/suites/load.ts';
import type { McqItem } from '../../pipelines/suites/types.ts';
import { createTask } from '../../pipelines/tasks/index.ts';
import { parseTaskSettings, type McqTaskSettings } from '../../pipelines/tasks/settings.ts';

const demo = await loadSuite(new URL('../../suites/demo-mcq.jsonl', import.meta.url).pathname);
const ITEMS = demo.items as McqItem[];
const signal = new AbortController().signal;

/**
 * Runs every demo item `replicates` times through the real task and the sim,
 * and compares the observed rates with simTruth: per outcome, the z-score of
 * the total count against its exact mean and variance (a sum of independent
 * Bernoulli steps with known p) must stay within 4.
 */
async function compare(l: Lane, raw: Record<string, unknown>, replicates: number, seed: number): Promise<void> {
  const settings = parseTaskSettings('mcq', raw, {}) as McqTaskSettings;
  const task = createTask('mcq', settings);
  const adapter = createAdapter({}, { simulator: task.simulator });
  const observed = { correct: 0, credited: 0, abstain: 0, error: 0 };
  const expected = { correct: [0, 0], credited: [0, 0], abstain: [0, 0], error: [0, 0] };
  for (const item of ITEMS) {
    const truth = simTruth(l, item, settings);
    for (const key of ['correct', 'credited', 'abstain', 'error'] as const) {
      expected[key][0] += truth[key] * replicates;
      expected[key][1] += truth[key] * (1 - truth[key]) * replicates;
    }
    for (let r = 0; r < replicates; r++) {
      const o = await task.runStep(item, r, { lane: l, settings, signal, seed, complete: (request) => adapter.send(l, request, { signal, timeoutMs: 1000 }) });
      if (o.status === 'error') observed.error++;
      if (o.status === 'abstain') observed.abstain++;
      if (o.status === 'ok' && o.evaluation?.correct === true) observed.correct++;
      if (o.status === 'ok' && o.evaluation?.citations_evidence?.credited === true) observed.credited++;
    }
  }
  for (const key of ['correct', 'credited', 'abstain', 'error'] as const) {
    const [mean, variance] = expected[key];
    const z = variance === 0 ? observed[key] - mean : (observed[key] - mean) / Math.sqrt(variance);
    assert.ok(Math.abs(z) < 4, `${JSON.stringify(raw)} ${key}: observed ${observed[key]}, expected ${mean.toFixed(1)} (z = ${z.toFixed(2)})`);
  }
}

const lane = (model: string, temperature: number, extra: Lane['dials'] = {}): Lane => ({ slug: `${model}.t${temperature}`, alias: 'x', provider: 'sim', model, dials: { temperature, ...extra }, active: true, visible: true });
const truth = suite('simTruth against runs of the task');

truth('one sample', () => compare(lane('sim-medium', 0.7), {}, 200, 1));
truth('abstaining allowed (IDK)', () => compare(lane('sim-weak', 1.0), { idk: true }, 150, 2));
truth('self-consistency with pooled citations and the tie rule', () => compare(lane('sim-medium', 1.2), { sc: 4, sc_extract: 2 }, 120, 3));
truth('self-consistency with strict evidence (hard-evidence abstentions)', () => compare(lane('sim-weak', 0.7), { sc: 3, sc_extract: 3, strict_evidence: true }, 120, 4));
truth('best-of with evidence-support selection', () => compare(lane('sim-strong', 1.5, { min_p: 0.05 }), { best_of: 3 }, 120, 5));
truth('a small cards budget and a coin', () => compare(lane('sim-coin', 1.0), { cards_budget: 2 }, 150, 6));
truth('greedy sampling: every sample is the same', () => compare(lane('sim-medium', 0), { sc: 5 }, 120, 7));

truth.run();
