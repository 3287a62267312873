import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryOutput } from '../../lib/output.ts';
import type { Lane } from '../../core/lane.ts';
import { createAdapter } from '../../pipelines/providers/openaiCompatible.ts';
import { runLane, type RunResult } from '../../pipelines/runner/engine.ts';
import { limitsTableOf } from '../../pipelines/runner/limits.ts';
import { LimiterRegistry } from '../../pipelines/runner/limiterRegistry.ts';
import type { RunSettings } from '../../pipelines/runner/runSettings.ts';
import { startFakeOpenAI, type FakeOpenAI, type RateLimitOptions } from '../fakes/index.ts';
import { echoTask, makeSuite, notingSends, type SentRequest } from '../helpers/engineKit.ts';
import { makeTempDir } from '../helpers/tmp.ts';

/** The server's limit: 40 requests a second, far below what 48 workers send. */
const LIMIT = { requestsPerMinute: 40, windowMs: 1000 };
const CONCURRENCY = 48;
/**
 * The first window is the opening burst that finds the limit; 429s in it are the price of not knowing it. Without
 * the adaptive rate (LimiterRegistry({adaptive: false})) both cases below see 20 and more 429s after it.
 */
const WARM_UP_MS = LIMIT.windowMs;
const SETTINGS: RunSettings = { replicates: 1, seed: 3, stage: 'smoke', concurrency: CONCURRENCY, maxRetries: 3, timeoutMs: 5000, task: { kind: 'echo' } };
const ENV: NodeJS.ProcessEnv = {};

function vllmLane(url: string): Lane {
  return { slug: 'vllm.t0', alias: 'vllm', provider: 'openai-compatible', backend: 'vllm', model: 'served-model', base_url: `${url}/v1`, dials: { temperature: 0 }, active: true, visible: true };
}

interface Outcome {
  results: RunResult[];
  sent: SentRequest[];
  server: FakeOpenAI;
}

/** `runs` runs of `steps` steps each, at once, sharing one LimiterRegistry, against a server enforcing LIMIT. */
async function runAgainstLimit(rateLimit: RateLimitOptions, options: { runs?: number; steps?: number } = {}): Promise<Outcome> {
  const server = await startFakeOpenAI({ respond: () => ({ text: 'A' }), rejectTemperatureFor: null, latencyMs: 5, rateLimit, record: false });
  const adapter = createAdapter(ENV);
  const { dir, cleanup } = makeTempDir();
  const sent: SentRequest[] = [];
  try {
    const limiters = new LimiterRegistry();
    const runs = Array.from({ length: options.runs ?? 1 }, (_, i) => runLane({
      lane: vllmLane(server.url), suite: makeSuite(options.steps ?? 60, 60), task: echoTask, settings: SETTINGS, runsDir: dir, runId: `limit-${i}`,
      output: createMemoryOutput(), env: ENV, adapter: notingSends(adapter, sent), limits: limitsTableOf([]), limiters,
    }));
    return { results: await Promise.all(runs), sent, server };
  } finally {
    cleanup();
    await adapter.close();
    await server.close();
  }
}

/** 429s among the requests sent after the first window. */
function lateRateLimited(sent: SentRequest[]): number {
  const start = Math.min(...sent.map((s) => s.at));
  return sent.filter((s) => s.at >= start + WARM_UP_MS && s.rateLimited).length;
}

const test = suite('runLane against a limit no limits row gives');

test('told only retry-after (vLLM behind a proxy): two runs sharing the registry finish with no failed step and no 429 after the opening burst', async () => {
  const { results, sent, server } = await runAgainstLimit({ ...LIMIT, advertise: 'retry-after' }, { runs: 2, steps: 50 });
  for (const result of results) assert.equal(result.counts, { ok: 50, abstain: 0, error: 0 });
  // the opening burst: all workers of both runs at once, of which the server takes its limit; on a loaded machine the
  // burst spreads, and workers whose first request succeeded send again before the first 429 is back
  const burst = 2 * CONCURRENCY - LIMIT.requestsPerMinute;
  assert.ok(server.stats.rateLimited <= burst + 10, `${server.stats.rateLimited} 429s; the burst alone is ${burst}`);
  assert.ok(lateRateLimited(sent) <= 2, `${lateRateLimited(sent)} 429s after the first window`);
});

test('told x-ratelimit headers: the rate comes from them and no 429 follows the opening burst', async () => {
  const { results, sent } = await runAgainstLimit(LIMIT, { steps: 100 });
  assert.is(results[0].counts.error, 0);
  // it paces at 90 % of what the headers tell, so only the jitter of a loaded machine could bring one
  assert.ok(lateRateLimited(sent) <= 1, `${lateRateLimited(sent)} 429s after the first window`);
});

test.run();
