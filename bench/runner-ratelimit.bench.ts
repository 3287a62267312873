// Issue 10 point 2: a server enforcing a limit the client is not told (no limits row, no rate-limit headers, only
// retry-after on its 429s), as generic OpenAI-compatible servers, vLLM behind a proxy, DeepSeek and Ollama are.
// The engine runs through the real openai SDK at a concurrency far above the limit, adaptive and (the baseline)
// as before the adaptive limiter.
import { startRemoteFake } from './remoteFake.ts';
import { createAdapter } from '../pipelines/providers/openai.ts';
import { notingSends, type SentRequest } from '../test/helpers/engineKit.ts';
import { runLane } from '../pipelines/runner/engine.ts';
import { limitsTableOf } from '../pipelines/runner/limits.ts';
import { LimiterRegistry } from '../pipelines/runner/limiterRegistry.ts';
import type { RunSettings } from '../pipelines/runner/runSettings.ts';
import { contextSuite, contextTask, openaiLane, quietOutput, round, tempRunsDir } from './kit.ts';
import { reportBench } from './report.ts';

const ENV: NodeJS.ProcessEnv = { OPENAI_API_KEY: 'sk-bench-0000000000000000' };
/** 120 requests per 10 s, scaled to a 5 s window: 60 per window, 12 a second. */
const LIMIT = { requestsPerMinute: 60, windowMs: 5000 };
const IDEAL_PER_S = LIMIT.requestsPerMinute / (LIMIT.windowMs / 1000);
/** Seven windows' worth of steps at the limit. */
const STEPS = LIMIT.requestsPerMinute * 7;
/** The first window is the opening burst that finds the limit; the second, the retries of that burst's 429s. */
const WARM_UP_MS = 2 * LIMIT.windowMs;
const settings: RunSettings = { replicates: 1, seed: 1, stage: 'bench', concurrency: 128, maxRetries: 3, timeoutMs: 30_000, task: { kind: 'bench' } };
const log = (line: string): void => void process.stderr.write(line + '\n');

interface Figures {
  requests: number;
  rateLimited: number;
  afterWarmUp: number;
  rateLimitedAfterWarmUp: number;
  failedSteps: number;
  okPerSecond: number;
  seconds: number;
}

async function measure(adaptive: boolean): Promise<Figures> {
  const fake = await startRemoteFake({ latencyMs: 20, rateLimit: { ...LIMIT, advertise: 'retry-after' } });
  const { dir, cleanup } = tempRunsDir();
  const sent: SentRequest[] = [];
  try {
    const result = await runLane({
      lane: openaiLane(fake.url), suite: contextSuite(STEPS, 200), task: contextTask, settings, runsDir: dir, output: quietOutput(), env: ENV,
      adapter: notingSends(createAdapter(ENV), sent), limits: limitsTableOf([]), limiters: new LimiterRegistry({ adaptive }),
    });
    const end = performance.now();
    // from the first request: the run's setup before it is no part of the server's limit
    const start = sent[0]?.at ?? end;
    const steady = sent.filter((s) => s.at >= start + WARM_UP_MS);
    const okSteady = steady.filter((s) => !s.rateLimited).length;
    return {
      requests: sent.length,
      rateLimited: sent.filter((s) => s.rateLimited).length,
      afterWarmUp: steady.length,
      rateLimitedAfterWarmUp: steady.length - okSteady,
      failedSteps: result.counts.error,
      okPerSecond: okSteady / ((end - start - WARM_UP_MS) / 1000),
      seconds: (end - start) / 1000,
    };
  } finally {
    cleanup();
    await fake.close();
  }
}

function describe(name: string, f: Figures): void {
  log(`${name}: ${STEPS} steps in ${round(f.seconds)} s, ${f.failedSteps} failed; ${f.requests} requests, ${f.rateLimited} answered 429 ` +
    `(${f.rateLimitedAfterWarmUp} of ${f.afterWarmUp} after warm-up = ${round((100 * f.rateLimitedAfterWarmUp) / Math.max(1, f.afterWarmUp))}%); ` +
    `${round(f.okPerSecond)} ok/s after warm-up = ${round((100 * f.okPerSecond) / IDEAL_PER_S)}% of the limit`);
}

log(`a server admitting ${LIMIT.requestsPerMinute} requests per ${LIMIT.windowMs} ms (${IDEAL_PER_S}/s), telling only retry-after; no limits row; concurrency ${settings.concurrency}`);
// side by side, each against its own fake server (its own process): the run takes as long as one
const [adaptive, baseline] = await Promise.all([measure(true), measure(false)]);
describe('adaptive', adaptive);
describe('baseline (no adaptation)', baseline);

const pct429 = (f: Figures): number => round((100 * f.rateLimitedAfterWarmUp) / Math.max(1, f.afterWarmUp), 2);
const pctLimit = (f: Figures): number => round((100 * f.okPerSecond) / IDEAL_PER_S);
const pass = pct429(adaptive) <= 2 && adaptive.failedSteps === 0 && pctLimit(adaptive) >= 85;
reportBench('runner-ratelimit', {
  limit_per_s: IDEAL_PER_S, warm_up_ms: WARM_UP_MS, steps: STEPS,
  pct_429_after_warm_up: pct429(adaptive), requests_429: adaptive.rateLimited, requests: adaptive.requests, failed_steps: adaptive.failedSteps, pct_of_limit: pctLimit(adaptive),
  baseline_pct_429_after_warm_up: pct429(baseline), baseline_requests_429: baseline.rateLimited, baseline_requests: baseline.requests, baseline_failed_steps: baseline.failedSteps, baseline_pct_of_limit: pctLimit(baseline),
}, {
  pct_429_after_warm_up: '<= 2', failed_steps: '== 0', pct_of_limit: '>= 85',
}, pass);
