import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Lane } from '../../core/lane.ts';
import { ProviderError, type ChatRequest } from '../../core/chat.ts';
import { createAdapter as createSimAdapter } from '../../pipelines/providers/sim.ts';
import {
  MALFORMED_RATE, evidenceBoost, graderNoise, itemDifficulty, mcqSampleModel, noteKeepProbability, simLane, simSkill, temperaturePenalty,
} from '../../pipelines/tasks/sim/model.ts';
import { loadSuite } from '../../pipelines/suites/load.ts';
import type { McqItem } from '../../pipelines/suites/types.ts';
import { keyLookup, parseAnswer } from '../../pipelines/tasks/mcq/parseAnswer.ts';
import { PreparedMcqCache } from '../../pipelines/tasks/mcq/prepare.ts';
import { createMcqSimulator, mcqHint, simTruth } from '../../pipelines/tasks/mcq/simulate.ts';
import { parseTaskSettings, type McqTaskSettings } from '../../pipelines/tasks/settings.ts';

const demo = await loadSuite(new URL('../../suites/demo-mcq.jsonl', import.meta.url).pathname);
const ITEMS = demo.items as McqItem[];
const lane = (model: string, dials: Lane['dials'] = { temperature: 0.7 }, slug = `${model}.${JSON.stringify(dials)}`): Lane => ({ slug, alias: 'x', provider: 'sim', model, dials, active: true, visible: true });
const mcq = (raw: Record<string, unknown> = {}): McqTaskSettings => parseTaskSettings('mcq', raw, {}) as McqTaskSettings;
const signal = new AbortController().signal;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const prepared = new PreparedMcqCache();
const truthOver = (l: Lane, settings: McqTaskSettings, key: 'correct' | 'credited' | 'abstain' | 'error'): number => mean(ITEMS.map((i) => simTruth(l, i, settings, undefined, prepared)[key]));

const model = suite('the sim ground-truth model');

model('skills by model id; sim-skill-<x>; unknown ids are refused', () => {
  assert.equal(['sim-strong', 'sim-medium', 'sim-weak', 'sim-coin', 'sim-skill-1.5', 'sim-skill--0.5'].map(simSkill), [2, 1, 0, -Infinity, 1.5, -0.5]);
  assert.throws(() => simSkill('gpt-4o'), /unknown sim model "gpt-4o"/);
});

model('item difficulty is a fixed hash of the id, spread over [-1, 1)', () => {
  const d = ITEMS.map((i) => itemDifficulty(i.id));
  assert.is(itemDifficulty('delta-ecology-01'), d[0]);
  assert.ok(d.every((x) => x >= -1 && x < 1));
  assert.ok(Math.min(...d) < -0.8 && Math.max(...d) > 0.8);
});

model('temperature costs most above the 0.7 sweet spot; min_p and top_p damp it', () => {
  assert.is(temperaturePenalty({ temperature: 0.7 }), 0);
  assert.ok(temperaturePenalty({ temperature: 1.5 }) > temperaturePenalty({ temperature: 1.0 }));
  assert.ok(temperaturePenalty({ temperature: 0 }) > 0);
  assert.is(temperaturePenalty({ temperature: 1.5, min_p: 0.1 }), 0.4 * temperaturePenalty({ temperature: 1.5 }));
  assert.ok(temperaturePenalty({ temperature: 1.5, top_p: 0.9 }) < temperaturePenalty({ temperature: 1.5 }));
});

model('the cards budget helps up to a point', () => {
  assert.ok(evidenceBoost(6) > evidenceBoost(3) && evidenceBoost(3) > evidenceBoost(0));
  assert.ok(evidenceBoost(8) - evidenceBoost(6) < evidenceBoost(2) - evidenceBoost(0));
  assert.ok(evidenceBoost(16) < evidenceBoost(8));
});

model('true rates follow skill, temperature, budget, self-consistency; greedy sampling makes sc useless', () => {
  const rates = ['sim-strong', 'sim-medium', 'sim-weak', 'sim-coin'].map((m) => truthOver(lane(m), mcq(), 'credited'));
  assert.ok(rates[0] > rates[1] && rates[1] > rates[2] && rates[2] > rates[3], rates.join(' '));
  assert.ok(Math.abs(truthOver(lane('sim-coin'), mcq(), 'correct') - 0.99 / 4) < 1e-12, 'a coin guesses 1 in 4 (of the 99% that parse)');
  assert.ok(truthOver(lane('sim-medium', { temperature: 1.5 }), mcq(), 'correct') < truthOver(lane('sim-medium'), mcq(), 'correct'));
  assert.ok(truthOver(lane('sim-medium'), mcq({ cards_budget: 0 }), 'correct') < truthOver(lane('sim-medium'), mcq(), 'correct'));
  assert.ok(truthOver(lane('sim-medium'), mcq({ sc: 5 }), 'correct') > truthOver(lane('sim-medium'), mcq(), 'correct') + 0.1);
  const greedy = lane('sim-medium', { temperature: 0 });
  assert.ok(Math.abs(truthOver(greedy, mcq({ sc: 5 }), 'correct') - truthOver(greedy, mcq(), 'correct')) < 1e-12);
  assert.ok(truthOver(lane('sim-medium'), mcq(), 'credited') < truthOver(lane('sim-medium'), mcq(), 'correct'), 'credited < correct');
  assert.ok(truthOver(lane('sim-medium'), mcq({ idk: true }), 'abstain') > 0.1);
});

model('sessions: a longer context lowers the chance to know, an earlier turn on the cluster raises it', () => {
  const m = (contextTokens: number, relatedInContext: boolean): number => mcqSampleModel({ temperature: 0.7 }, 1, 0, 6, false, { turn: 1, contextTokens, relatedInContext }).know;
  assert.ok(m(12000, false) < m(2000, false));
  assert.ok(m(2000, true) > m(2000, false));
});

model('generation and grading: stronger lanes keep more facts; reasoning halves grader noise', () => {
  const p = ['sim-strong', 'sim-medium', 'sim-weak'].map((m) => noteKeepProbability(simLane(lane(m)), 'summarise-01'));
  assert.ok(p[0] > p[1] && p[1] > p[2]);
  const g = simLane(lane('sim-weak'));
  assert.is(graderNoise(g, true), graderNoise(g, false) / 2);
  assert.ok(graderNoise(simLane(lane('sim-strong')), false) < graderNoise(g, false));
});

const provider = suite('sim provider');

const simulator = createMcqSimulator();
const createAdapter = (): ReturnType<typeof createSimAdapter> => createSimAdapter({}, { simulator });

function mcqRequest(item: McqItem, settings: McqTaskSettings, replicate: number, sample = 0, seed = 1): ChatRequest {
  const p = prepared.prepare(item, settings);
  return simulator.attach({ messages: p.messages, cachePrefix: 1, json: true }, mcqHint(p, settings, replicate, sample, seed));
}

provider('answers deterministically from (lane, item, replicate, sample, seed)', async () => {
  const sim = createAdapter();
  const l = lane('sim-weak', { temperature: 1.2 }, 'weak.t1-2');
  const text = async (r: number, s: number, seed: number): Promise<string> => (await sim.send(l, mcqRequest(ITEMS[3], mcq(), r, s, seed), { signal, timeoutMs: 1000 })).text;
  assert.is(await text(0, 0, 1), await text(0, 0, 1));
  const variants = new Set(await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((r) => text(r, 0, 1))));
  assert.ok(variants.size > 1, 'replicates differ');
  assert.ok(new Set(await Promise.all([1, 2, 3, 4, 5, 6].map((seed) => text(0, 0, seed)))).size > 1, 'run seeds differ');
});

provider('reports token counts from text length and a warm prompt cache on the second request', async () => {
  const sim = createAdapter();
  const request = mcqRequest(ITEMS[0], mcq(), 0);
  const first = await sim.send(lane('sim-strong'), request, { signal, timeoutMs: 1000 });
  const second = await sim.send(lane('sim-strong'), request, { signal, timeoutMs: 1000 });
  const chars = request.messages.reduce((n, m) => n + m.content.length + 8, 0);
  assert.is(first.tokens.prompt, Math.ceil(chars / 4));
  assert.is(first.tokens.completion, Math.ceil(first.text.length / 4));
  assert.ok(first.tokens.cache_write > 0 && first.tokens.cached_read === 0);
  assert.is(second.tokens.cached_read, first.tokens.cache_write);
  const reasoning = await sim.send(lane('sim-strong', { reasoning_effort: 'high' }), request, { signal, timeoutMs: 1000 });
  assert.ok(reasoning.tokens.reasoning > 0 && reasoning.tokens.completion > reasoning.tokens.reasoning);
});

provider('about 1% of answers are malformed and fail to parse; every other answer parses (fenced, in prose or bare)', async () => {
  const sim = createAdapter();
  const l = lane('sim-medium');
  let failed = 0;
  let fenced = 0;
  let total = 0;
  for (const item of ITEMS) {
    const keys = keyLookup(item.options.map((o) => o.key));
    for (let r = 0; r < 150; r++) {
      const { text } = await sim.send(l, mcqRequest(item, mcq(), r), { signal, timeoutMs: 1000 });
      total++;
      if (text.startsWith('```')) fenced++;
      if (!parseAnswer(text, keys).ok) failed++;
    }
  }
  const se = Math.sqrt((MALFORMED_RATE * (1 - MALFORMED_RATE)) / total);
  assert.ok(Math.abs(failed / total - MALFORMED_RATE) < 4 * se, `${failed} of ${total}`);
  assert.ok(fenced > 0.05 * total);
});

provider('an unknown sim model is an invalid_request error; an aborted signal is aborted; other providers’ lanes play as medium', async () => {
  const sim = createAdapter();
  const error = await sim.send(lane('sim-genius'), mcqRequest(ITEMS[0], mcq(), 0), { signal, timeoutMs: 1000 }).catch((e: unknown) => e);
  assert.instance(error, ProviderError);
  assert.is((error as ProviderError).kind, 'invalid_request');
  const aborted = new AbortController();
  aborted.abort();
  assert.is(((await sim.send(lane('sim-strong'), mcqRequest(ITEMS[0], mcq(), 0), { signal: aborted.signal, timeoutMs: 1000 }).catch((e: unknown) => e)) as ProviderError).kind, 'aborted');
  assert.equal(sim.buildRequest(lane('sim-strong'), mcqRequest(ITEMS[0], mcq(), 0)).body['model'], 'sim-strong');
  const foreign: Lane = { ...lane('gpt-4o'), provider: 'openai' };
  assert.ok((await sim.send(foreign, mcqRequest(ITEMS[0], mcq(), 0), { signal, timeoutMs: 1000 })).text.length > 0, 'another provider’s lane is played as sim-medium (for estimates)');
  assert.is(simLane(foreign).skill, simSkill('sim-medium'));
});

provider.run();
model.run();
