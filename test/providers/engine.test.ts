import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryOutput } from '../../lib/output.ts';
import type { Lane } from '../../core/lane.ts';
import { ProviderPool } from '../../pipelines/providers/providerPool.ts';
import { runLane } from '../../pipelines/runner/engine.ts';
import type { RunSettings } from '../../pipelines/runner/runSettings.ts';
import { readRunLog } from '../../pipelines/runlog/reader.ts';
import { startFakeAnthropic, startFakeOllama, startFakeOpenAI, type FakeServer } from '../fakes/index.ts';
import { echoTask, makeSuite } from '../helpers/engineKit.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const SETTINGS: RunSettings = { replicates: 1, seed: 7, stage: 'smoke', concurrency: 1, maxRetries: 3, timeoutMs: 5000, task: { kind: 'echo' } };
const ENV: NodeJS.ProcessEnv = { OPENAI_API_KEY: 'sk-test-engine-0000000000', ANTHROPIC_API_KEY: 'sk-ant-test-engine-000000', OPENROUTER_API_KEY: 'sk-or-test-engine-00000' };
const RETRY_AFTER_MS = 200;

interface Case {
  start(): Promise<FakeServer>;
  lane(url: string): Lane;
}

const CASES: Record<string, Case> = {
  openai: {
    start: () => startFakeOpenAI({ respond: () => ({ text: 'A' }) }),
    lane: (url) => ({ slug: '4o-mini.t0', alias: '4o-mini', provider: 'openai', model: 'gpt-4o-mini', base_url: `${url}/v1`, dials: { temperature: 0 }, active: true, visible: true }),
  },
  'openai-compatible': {
    start: () => startFakeOpenAI({ respond: () => ({ text: 'A' }), rejectTemperatureFor: null }),
    lane: (url) => ({
      slug: 'hermes.t1-1.min0-08', alias: 'hermes', provider: 'openai-compatible', backend: 'openrouter', model: 'nousresearch/hermes-4-70b', base_url: `${url}/v1`,
      dials: { temperature: 1.1, min_p: 0.08 }, active: true, visible: true,
    }),
  },
  anthropic: {
    start: () => startFakeAnthropic({ respond: () => ({ text: 'A' }) }),
    lane: (url) => ({ slug: 'sonnet.t0-5', alias: 'sonnet', provider: 'anthropic', model: 'claude-sonnet-4-6', base_url: url, dials: { temperature: 0.5, max_output_tokens: 256 }, active: true, visible: true }),
  },
  ollama: {
    start: () => startFakeOllama({ respond: () => ({ text: 'A' }) }),
    lane: (url) => ({ slug: 'llama.t0-7', alias: 'llama', provider: 'ollama', model: 'llama3.2', base_url: url, dials: { temperature: 0.7 }, active: true, visible: true }),
  },
};

const test = suite('runLane through each provider adapter');

const providers = new ProviderPool(ENV);

test.after(async () => {
  await providers.close();
});

for (const [name, { start, lane: laneAt }] of Object.entries(CASES)) {
  test(`${name}: a 429 with Retry-After from the server is retried after it, and the step ends ok with attempts = 2`, async () => {
    const server = await start();
    const { dir, cleanup } = makeTempDir();
    try {
      const lane = laneAt(server.url);
      const adapter = await providers.adapterFor(lane);
      assert.is(adapter.name, lane.provider);
      server.inject({ kind: 'status', status: 429, retryAfterMs: RETRY_AFTER_MS });
      const started = Date.now();
      const result = await runLane({ lane, suite: makeSuite(1), task: echoTask, settings: SETTINGS, runsDir: dir, output: createMemoryOutput(), adapter, env: ENV });
      const waited = Date.now() - started;
      const [step] = (await readRunLog(result.path)).steps;
      assert.is(step.status, 'ok');
      assert.is(step.attempts, 2);
      assert.is(step.error, null);
      assert.is(step.evaluation?.correct, true);
      assert.ok(step.tokens.prompt > 0 && step.tokens.completion > 0);
      assert.is(server.stats.requests, 2);
      assert.is(server.stats.rateLimited, 1);
      assert.ok(waited >= RETRY_AFTER_MS, `waited ${waited} ms`);
    } finally {
      cleanup();
      await server.close();
    }
  });
}

test("anthropic: 429s from the server's input-tokens-per-minute limit are waited out for their retry-after, and every step ends ok", async () => {
  // each echo step sends 7 input tokens: two fit in the server's 15 a window, the next two wait a window for theirs
  const server = await startFakeAnthropic({ respond: () => ({ text: 'A' }), rateLimit: { inputTokensPerMinute: 15, windowMs: 1000 } });
  const { dir, cleanup } = makeTempDir();
  try {
    const lane = CASES['anthropic'].lane(server.url);
    const adapter = await providers.adapterFor(lane);
    // one retry only: a retry sooner than retry-after would meet another 429 and end the step as an error
    const settings = { ...SETTINGS, concurrency: 4, maxRetries: 1 };
    const result = await runLane({ lane, suite: makeSuite(4, 4), task: echoTask, settings, runsDir: dir, output: createMemoryOutput(), adapter, env: ENV });
    const { steps } = await readRunLog(result.path);
    assert.equal(steps.map((s) => s.status), ['ok', 'ok', 'ok', 'ok']);
    assert.equal(steps.map((s) => s.attempts).sort(), [1, 1, 2, 2]);
    assert.is(server.stats.rateLimited, 2);
    const waited = steps.filter((s) => s.attempts === 2).map((s) => s.timing.queue_ms);
    assert.ok(waited.every((ms) => ms >= 1000), `waited ${waited.join(', ')} ms: retry-after is 1 s`);
  } finally {
    cleanup();
    await server.close();
  }
});

test.run();
