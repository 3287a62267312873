import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryOutput } from '../../lib/output.ts';
import type { Lane } from '../../core/lane.ts';
import { createAdapter } from '../../pipelines/providers/sim.ts';
import { dryRunDumpPath } from '../../pipelines/runlog/discover.ts';
import { withSimAdapter } from '../helpers/sim.ts';
import { runLane } from '../../pipelines/runner/engine.ts';
import { estimateRun } from '../../pipelines/runner/estimate.ts';
import { costOf, findPrice, readPriceTable } from '../../pipelines/runner/pricing.ts';
import { loadSuite } from '../../pipelines/suites/load.ts';
import { createTask } from '../../pipelines/tasks/index.ts';
import { parseTaskSettings } from '../../pipelines/tasks/settings.ts';
import { readFileSync } from 'node:fs';
import type { ProviderAdapter } from '../../core/chat.ts';
import { createAdapter as createOpenAIAdapter } from '../../pipelines/providers/openai.ts';
import { planRun } from '../../pipelines/runner/plan.ts';
import { RUN_DEFAULTS, resolveRunSettings } from '../../pipelines/runner/runSettings.ts';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const SUITE = new URL('../../suites/demo-mcq.jsonl', import.meta.url).pathname;
const GPT4O: Lane = { slug: '4o.t0-7', alias: '4o', provider: 'openai', model: 'gpt-4o', dials: { temperature: 0.7, max_output_tokens: 512 }, active: true, visible: true };

const estimate = suite('estimateRun');

estimate('counts every request a step makes and prices them at the lane’s model', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const demo = await loadSuite(SUITE);
    const prices = readPriceTable();
    const plain = parseTaskSettings('mcq', {}, {});
    const voting = parseTaskSettings('mcq', { sc: 3 }, {});
    const settings = { ...RUN_DEFAULTS, replicates: 2 };
    const one = await estimateRun({ lane: GPT4O, suite: demo, task: createTask('mcq', plain), settings: { ...settings, task: plain }, prices, runsDir: dir });
    const three = await estimateRun({ lane: GPT4O, suite: demo, task: createTask('mcq', voting), settings: { ...settings, task: voting }, prices, runsDir: dir });
    assert.equal([one.steps, one.requests], [136, 136]);
    assert.equal([three.steps, three.requests], [136, 408], 'self-consistency sends three samples a step');
    assert.ok(one.prompt_tokens > 136 * 100, 'prompt tokens come from the real prompts');
    const price = findPrice(prices, GPT4O)!;
    const expected = costOf(price, { prompt: one.prompt_tokens, completion: one.completion_tokens, cached_read: 0, cache_write: 0, reasoning: 0 });
    assert.ok(Math.abs((one.cost_usd ?? 0) - expected) < 1e-12);
    assert.ok(Math.abs((one.batch_cost_usd ?? 0) - expected / 2) < 1e-12, 'OpenAI batch is half price');
    assert.is(one.completion_source, 'simulated');
  } finally {
    cleanup();
  }
});

estimate('takes completion tokens from the lane’s own past runs once it has 20 steps of them', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const demo = await loadSuite(SUITE);
    const plain = parseTaskSettings('mcq', {}, {});
    const simLane: Lane = { ...GPT4O, slug: 'strong.t0-7', alias: 'strong', provider: 'sim', model: 'sim-strong' };
    const past = await runLane({ lane: simLane, suite: demo, ...withSimAdapter(createTask('mcq', plain)), settings: { ...RUN_DEFAULTS, task: plain }, runsDir: dir, output: createMemoryOutput(), env: {} });
    const perStep = past.tokens.completion / (past.counts.ok + past.counts.abstain + past.counts.error);
    const e = await estimateRun({ lane: simLane, suite: demo, task: createTask('mcq', plain), settings: { ...RUN_DEFAULTS, replicates: 2, task: plain }, prices: readPriceTable(), runsDir: dir });
    assert.is(e.completion_source, 'history');
    assert.ok(Math.abs(e.completion_tokens - perStep * 136) / (perStep * 136) < 0.05, `${e.completion_tokens} vs ${perStep * 136}`);
  } finally {
    cleanup();
  }
});

estimate('sees the steps a --dry-run of the same run sends: same items, replicates, order, per-step seeds and request bodies', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const demo = await loadSuite(SUITE);
    const settings = resolveRunSettings({ replicates: 2, limit: 5, seed: 9, stage: 'dry' }, demo);
    const openai = createOpenAIAdapter({});
    const task = createTask('mcq', settings.task);
    const sim = createAdapter({}, { simulator: task.simulator });
    const estimated: unknown[] = [];
    // the simulator answers; the OpenAI adapter shows the body each estimated request would have been sent as
    const recorder: ProviderAdapter = {
      name: 'sim', buildRequest: (lane, request) => sim.buildRequest(lane, request), close: () => sim.close(), check: () => {}, baseURL: () => sim.baseURL(GPT4O),
      send: (lane, request, options) => {
        estimated.push(openai.buildRequest(lane, request).body);
        return sim.send(lane, request, options);
      },
    };
    const e = await estimateRun({ lane: GPT4O, suite: demo, task, settings, simulator: recorder, prices: readPriceTable(), runsDir: dir });
    await runLane({ lane: GPT4O, suite: demo, task, settings, runsDir: dir, runId: 'dry', dryRun: true, output: createMemoryOutput(), adapter: openai, env: {} });
    const dry = readFileSync(dryRunDumpPath(dir, 'dry', 'dry'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { body: Record<string, unknown> }).body);
    assert.is(e.steps, 10);
    assert.is(dry.length, e.steps);
    assert.equal(estimated, dry);
    assert.equal(dry.map((body) => body['seed']), planRun(demo.items, task, settings).map((step) => step.seed));
  } finally {
    cleanup();
  }
});

estimate('audition estimate prints one row a lane, as NDJSON with --json', () => {
  const { dir, cleanup } = makeTempDir();
  try {
    assert.is(runCli(['lanes', 'add', '--alias', '4o', '--provider', 'openai', '--model', 'gpt-4o', '--temperature', '0.7', '--runs-dir', dir]).code, 0);
    const r = runCli(['estimate', '--lane', '4o.t0-7', '--suite', SUITE, '--replicates', '3', '--json', '--runs-dir', dir]);
    assert.is(r.code, 0, r.stderr);
    const [row] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { lane: string; steps: number; cost_usd: number });
    assert.equal([row.lane, row.steps], ['4o.t0-7', 204]);
    assert.ok(row.cost_usd > 0);
    assert.match(r.stderr, /prices as of 2026-11-01; no prompt-cache discounts/);
  } finally {
    cleanup();
  }
});

estimate.run();
