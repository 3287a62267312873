import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError, ExitCode } from '../../lib/errors.ts';
import { createMemoryOutput } from '../../lib/output.ts';
import type { ErrorKind } from '../../core/errorKinds.ts';
import { CircuitBreaker, UNREACHABLE_AFTER_ATTEMPTS } from '../../pipelines/runner/circuitBreaker.ts';
import { runLane, type RunLaneOptions } from '../../pipelines/runner/engine.ts';
import type { RunSettings } from '../../pipelines/runner/runSettings.ts';
import { readRunLog } from '../../pipelines/runlog/reader.ts';
import { ProviderError, ScriptedAdapter, TEST_LANE, echoTask, makeSuite, reply } from '../helpers/engineKit.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const SETTINGS: RunSettings = { replicates: 1, seed: 7, stage: 'smoke', concurrency: 4, maxRetries: 3, timeoutMs: 5000, task: { kind: 'echo' } };

function options(runsDir: string, adapter: ScriptedAdapter, extra: Partial<RunLaneOptions> = {}): RunLaneOptions {
  return { lane: TEST_LANE, suite: makeSuite(40), task: echoTask, settings: SETTINGS, runsDir, output: createMemoryOutput(), adapter, env: {}, ...extra };
}

/** Sends `outcomes` in order through a breaker (ok, or a failure of that kind) and says after which attempt it tripped. */
async function tripsAfter(outcomes: readonly ('ok' | ErrorKind)[]): Promise<number | null> {
  let tripped: number | null = null;
  let sent = 0;
  const breaker = new CircuitBreaker(() => (tripped = sent));
  const adapter = breaker.watch(new ScriptedAdapter((_request, index) => {
    const outcome = outcomes[index];
    if (outcome === 'ok') return reply('A');
    throw new ProviderError(outcome, `${outcome} failure`);
  }));
  for (const _ of outcomes) {
    sent++;
    await adapter.send(TEST_LANE, { messages: [] }, { signal: new AbortController().signal, timeoutMs: 1000 }).catch(() => undefined);
  }
  return tripped;
}

const breaker = suite('CircuitBreaker');

breaker('trips once, on the attempt that makes the first N all network or server errors', async () => {
  const n = UNREACHABLE_AFTER_ATTEMPTS;
  assert.is(await tripsAfter(Array.from({ length: n + 5 }, (_, i) => (i % 2 === 0 ? 'network' : 'server'))), n);
  assert.is(await tripsAfter(Array.from({ length: n - 1 }, () => 'network')), null, 'not before N');
});

breaker('a success, or a failure that shows the server answers, first disarms it for the run', async () => {
  const n = UNREACHABLE_AFTER_ATTEMPTS;
  const failures = Array.from({ length: 3 * n }, (): ErrorKind => 'server');
  assert.is(await tripsAfter(['ok', ...failures]), null);
  assert.is(await tripsAfter([...failures.slice(0, n - 1), 'ok', ...failures]), null);
  assert.is(await tripsAfter(['rate_limit', ...failures]), null);
  assert.is(await tripsAfter(['invalid_request', ...failures]), null);
});

const engine = suite('runLane circuit breaker');

engine('a server that only fails stops the run promptly: backoff sleeps in flight are abandoned, run_end failed (unreachable), exit 1 naming where the requests went', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    // a 503 asking to wait a minute: without the breaker every step would sleep through it, three times
    const adapter = new ScriptedAdapter(() => {
      throw new ProviderError('server', 'sim HTTP 503: overloaded', { httpStatus: 503, retryAfterMs: 60_000 });
    });
    const started = Date.now();
    try {
      // no warm-up ordering, so 12 requests are in flight at once (warm-up would send one a context first)
      await runLane(options(dir, adapter, { settings: { ...SETTINGS, concurrency: 12, cacheAware: false } }));
      assert.unreachable();
    } catch (error) {
      assert.instance(error, CliError);
      assert.is((error as CliError).exitCode, ExitCode.unexpected);
      assert.match((error as Error).message, new RegExp(`lane scripted\\.t0-5: the first ${UNREACHABLE_AFTER_ATTEMPTS} requests to sim://test all failed with server errors \\(5xx\\) \\(last: sim HTTP 503: overloaded\\)`));
      assert.match((error as CliError).hint ?? '', /then resume: audition run --resume /);
    }
    assert.ok(Date.now() - started < 5000, `stopped after ${Date.now() - started} ms`);
    assert.is(adapter.calls.length, 12, 'the first round of requests, and no retry');
    const [file] = readdirSync(join(dir, 'smoke'));
    const log = await readRunLog(join(dir, 'smoke', file));
    assert.equal([log.end?.status, log.end?.reason], ['failed', 'unreachable']);
    assert.equal(log.steps, [], 'steps abandoned in backoff are not logged: they run again on resume');
  } finally {
    cleanup();
  }
});

engine('one success first: the breaker stays off and failing steps are error rows, as before', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const adapter = new ScriptedAdapter((_request, index) => {
      if (index === 0) return reply('A');
      throw new ProviderError('network', 'connection refused');
    });
    const result = await runLane(options(dir, adapter, { suite: makeSuite(20), settings: { ...SETTINGS, concurrency: 1, maxRetries: 0 } }));
    assert.equal(result.counts, { ok: 1, abstain: 0, error: 19 });
    assert.is(result.status, 'failed');
    assert.ok(result.errorRate !== undefined, 'failed for its error rate, not as unreachable');
    assert.is(adapter.calls.length, 20);
  } finally {
    cleanup();
  }
});

breaker.run();
engine.run();
