// Issue 3 targets (b), (c), (d), (e): the engine through the real openai SDK against the loopback fake.
import OpenAI from 'openai';
import { startRemoteFake } from './remoteFake.ts';
import { createAdapter } from '../pipelines/providers/openai.ts';
import { runLane } from '../pipelines/runner/engine.ts';
import type { RunSettings } from '../pipelines/runner/runSettings.ts';
import { limitsTableOf } from '../pipelines/runner/limits.ts';
import { contextSuite, contextTask, openaiLane, quietOutput, round, tempRunsDir } from './kit.ts';
import { reportBench } from './report.ts';

/** The environment the runs and adapters get: a key the fake accepts, and nothing of the caller's. */
const ENV: NodeJS.ProcessEnv = { OPENAI_API_KEY: 'sk-bench-0000000000000000' };
const settings = (concurrency: number, replicates = 1): RunSettings => ({ replicates, seed: 1, stage: 'bench', concurrency, maxRetries: 3, timeoutMs: 30_000, task: { kind: 'bench' } });
const log = (line: string): void => void process.stderr.write(line + '\n');

/** (b) zero latency: engine + logging vs the bare SDK at the same concurrency. */
async function throughput(): Promise<{ engine: number; bareSdk: number }> {
  const fake = await startRemoteFake({});
  const steps = 20_000;
  const client = new OpenAI({ apiKey: ENV['OPENAI_API_KEY'], baseURL: `${fake.url}/v1`, maxRetries: 0 });
  let next = 0;
  const bareStart = performance.now();
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next++ < steps) await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }], max_tokens: 64 });
  }));
  const bare = steps / ((performance.now() - bareStart) / 1000);
  const { dir, cleanup } = tempRunsDir();
  let engine: number;
  try {
    const start = performance.now();
    const result = await runLane({ lane: openaiLane(fake.url), suite: contextSuite(steps, 200), task: contextTask, settings: settings(64), runsDir: dir, output: quietOutput(), env: ENV, adapter: createAdapter(ENV) });
    engine = result.counts.ok / ((performance.now() - start) / 1000);
  } finally {
    cleanup();
    await fake.close();
  }
  log(`(b) zero latency: engine ${round(engine)} steps/s with logging; bare SDK ${round(bare)} req/s`);
  return { engine, bareSdk: bare };
}

/** (c) 200 ms latency at concurrency 64: ideal 320 steps/s. */
async function latencyBound(): Promise<number> {
  const fake = await startRemoteFake({ latencyMs: 200 });
  const { dir, cleanup } = tempRunsDir();
  const steps = 64 * 50;
  let rate: number;
  try {
    const start = performance.now();
    await runLane({ lane: openaiLane(fake.url), suite: contextSuite(steps, 200), task: contextTask, settings: settings(64), runsDir: dir, output: quietOutput(), env: ENV, adapter: createAdapter(ENV) });
    rate = steps / ((performance.now() - start) / 1000);
  } finally {
    cleanup();
    await fake.close();
  }
  log(`(c) 200 ms latency, concurrency 64: ${round(rate)} steps/s of an ideal 320`);
  return rate;
}

/** (d) a fake enforcing N requests per window: steady-state rate vs the limit, and 429s. */
async function rateLimited(): Promise<{ fraction: number; rejected: number }> {
  const limit = { requestsPerMinute: 200, windowMs: 4000 };
  const fake = await startRemoteFake({ latencyMs: 20, rateLimit: limit });
  const { dir, cleanup } = tempRunsDir();
  const steps = 200 * 6;
  const stamps: number[] = [];
  const adapter = createAdapter(ENV);
  const timed = { ...adapter, name: adapter.name, buildRequest: adapter.buildRequest.bind(adapter), close: adapter.close.bind(adapter), send: async (...args: Parameters<typeof adapter.send>) => { stamps.push(performance.now()); return adapter.send(...args); } };
  let rejected: number;
  try {
    await runLane({ lane: openaiLane(fake.url), suite: contextSuite(steps, 200), task: contextTask, settings: settings(64), runsDir: dir, output: quietOutput(), env: ENV, adapter: timed, limits: limitsTableOf([{ provider: 'openai', model: '*', ...limit }]) });
    rejected = (await fake.stats()).rateLimited;
  } finally {
    cleanup();
    await fake.close();
  }
  // Sustained rate: the sends in the last three full windows, over three windows. The ideal is limit / window.
  const end = stamps.at(-1)!;
  const rate = stamps.filter((t) => t > end - 3 * limit.windowMs).length / ((3 * limit.windowMs) / 1000);
  const ideal = limit.requestsPerMinute / (limit.windowMs / 1000);
  log(`(d) rate limit ${ideal}/s: steady ${round(rate)}/s = ${round((100 * rate) / ideal)}% of the limit, ${rejected} 429s`);
  return { fraction: rate / ideal, rejected };
}

/** (e) 3 replicates a context, concurrency 16: prompt-cache hit rate vs the ideal 2/3 (and with --no-cache as the baseline). */
async function cacheHits(): Promise<{ aware: number; naive: number }> {
  const measure = async (cacheAware: boolean): Promise<number> => {
    const fake = await startRemoteFake({ latencyMs: 30, cache: { ttlMs: 2_000, minTokens: 1024, writeDelayMs: 30 } });
    const { dir, cleanup } = tempRunsDir();
    try {
      await runLane({ lane: openaiLane(fake.url), suite: contextSuite(300, 6000), task: contextTask, settings: { ...settings(16, 3), cacheAware }, runsDir: dir, output: quietOutput(), env: ENV, adapter: createAdapter(ENV) });
      const stats = await fake.stats();
      return stats.cacheReads / stats.requests;
    } finally {
      cleanup();
      await fake.close();
    }
  };
  const aware = await measure(true);
  const naive = await measure(false);
  log(`(e) cache hit rate: cache-aware ${round(100 * aware)}% (ideal 66.7%); plain order ${round(100 * naive)}%`);
  return { aware, naive };
}

const b = await throughput();
const c = await latencyBound();
const d = await rateLimited();
const e = await cacheHits();
const pass = b.engine >= 1000 && c >= 0.95 * 320 && d.fraction >= 0.95 && d.rejected === 0 && e.aware >= 0.95 * (2 / 3);
reportBench('runner-openai', {
  zero_latency_steps_per_s: round(b.engine), bare_sdk_req_per_s: round(b.bareSdk),
  latency200_c64_steps_per_s: round(c), latency200_pct_of_ideal: round((100 * c) / 320),
  rate_limit_pct_of_limit: round(100 * d.fraction), rate_limit_429s: d.rejected,
  cache_hit_pct: round(100 * e.aware), cache_hit_pct_plain_order: round(100 * e.naive), cache_hit_pct_of_ideal: round((100 * e.aware) / (2 / 3)),
}, {
  zero_latency_steps_per_s: '>= 1000', latency200_pct_of_ideal: '>= 95', rate_limit_pct_of_limit: '>= 95', rate_limit_429s: '== 0', cache_hit_pct_of_ideal: '>= 95',
}, pass);
