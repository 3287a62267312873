import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from '../../lib/errors.ts';
import { createMemoryOutput } from '../../lib/output.ts';
import { excessErrorShare, runLane, type RunLaneOptions } from '../../pipelines/runner/engine.ts';
import { LimiterRegistry } from '../../pipelines/runner/limiterRegistry.ts';
import type { RunSettings } from '../../pipelines/runner/runSettings.ts';
import { readPriceTable } from '../../pipelines/runner/pricing.ts';
import { readRunLog } from '../../pipelines/runlog/reader.ts';
import { listRunLogFiles } from '../../pipelines/runlog/discover.ts';
import { ProviderError, ScriptedAdapter, TEST_LANE, delay, echoTask, makeSuite, reply } from '../helpers/engineKit.ts';
import { limitBucketKey, limitsTableOf } from '../../pipelines/runner/limits.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import type { McqItem } from '../../pipelines/suites/types.ts';
import type { Task } from '../../pipelines/tasks/task.ts';

const SETTINGS: RunSettings = { replicates: 1, seed: 7, stage: 'smoke', concurrency: 4, maxRetries: 3, timeoutMs: 5000, task: { kind: 'echo' } };

function options(runsDir: string, adapter: ScriptedAdapter, extra: Partial<RunLaneOptions> = {}): RunLaneOptions {
  return { lane: TEST_LANE, suite: makeSuite(12), task: echoTask, settings: SETTINGS, runsDir, output: createMemoryOutput(), adapter, env: {}, ...extra };
}

const engine = suite('runLane');

engine('runs every (item, replicate) once and writes a complete log', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const adapter = new ScriptedAdapter();
    const result = await runLane(options(dir, adapter, { settings: { ...SETTINGS, replicates: 3 } }));
    assert.is(result.status, 'completed');
    assert.equal(result.counts, { ok: 36, abstain: 0, error: 0 });
    const log = await readRunLog(result.path);
    assert.is(log.steps.length, 36);
    assert.equal(log.problems, []);
    assert.is(log.end?.status, 'completed');
    assert.equal(log.start?.lane, TEST_LANE);
    assert.is(new Set(log.steps.map((s) => s.step_index)).size, 36);
  } finally {
    cleanup();
  }
});

engine('never runs more requests at once than --concurrency', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const adapter = new ScriptedAdapter(async () => (await delay(5), reply('A')));
    await runLane(options(dir, adapter, { suite: makeSuite(40, 40), settings: { ...SETTINGS, concurrency: 3 } }));
    assert.is(adapter.peakInFlight, 3);
  } finally {
    cleanup();
  }
});

engine('cache-aware order: a context’s first request completes before its other steps are sent', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const adapter = new ScriptedAdapter(async () => (await delay(3), reply('A')));
    await runLane(options(dir, adapter, { suite: makeSuite(24, 4), settings: { ...SETTINGS, replicates: 2, concurrency: 8 } }));
    const byContext = new Map<string, typeof adapter.calls>();
    for (const call of adapter.calls) {
      const key = call.request.messages[0].content;
      byContext.set(key, [...(byContext.get(key) ?? []), call]);
    }
    assert.is(byContext.size, 4);
    for (const calls of byContext.values()) {
      const [warm, ...rest] = calls;
      for (const c of rest) assert.ok(c.startedAt >= warm.endedAt, 'sent after the warm-up finished');
    }
    const firstWarmups = [...byContext.values()].map((c) => c[0].startedAt);
    assert.ok(Math.max(...firstWarmups) - Math.min(...firstWarmups) < adapter.calls.at(-1)!.endedAt - adapter.calls[0].startedAt, 'contexts warm up in parallel');
  } finally {
    cleanup();
  }
});

engine('retries a rate limit after the provider’s Retry-After, then succeeds', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const adapter = new ScriptedAdapter((_r, i) => {
      if (i === 0) throw new ProviderError('rate_limit', '429 Too Many Requests', { httpStatus: 429, retryAfterMs: 300 });
      return reply('A');
    });
    const result = await runLane(options(dir, adapter, { suite: makeSuite(1), settings: { ...SETTINGS, concurrency: 1 } }));
    const [step] = (await readRunLog(result.path)).steps;
    assert.is(step.status, 'ok');
    assert.is(step.attempts, 2);
    assert.ok(adapter.calls[1].startedAt - adapter.calls[0].endedAt >= 300, 'waited as long as Retry-After said');
  } finally {
    cleanup();
  }
});

engine('a step that still fails is an error row and the run goes on', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const adapter = new ScriptedAdapter((request) => {
      if (request.messages[1].content.startsWith('question 3 ')) throw new ProviderError('invalid_request', 'model not found', { httpStatus: 404 });
      if (request.messages[1].content.startsWith('question 5 ')) throw new ProviderError('server', 'HTTP 503', { httpStatus: 503, retryAfterMs: 1 });
      return reply('A');
    });
    const result = await runLane(options(dir, adapter, { settings: { ...SETTINGS, maxRetries: 2 } }));
    assert.equal(result.counts, { ok: 10, abstain: 0, error: 2 });
    const steps = (await readRunLog(result.path)).steps;
    const q3 = steps.find((s) => s.item_id === 'q3')!;
    const q5 = steps.find((s) => s.item_id === 'q5')!;
    assert.equal([q3.error?.kind, q3.error?.http_status, q3.attempts], ['invalid_request', 404, 1]);
    assert.equal([q5.error?.kind, q5.attempts], ['server', 3]);
  } finally {
    cleanup();
  }
});

engine('--resume skips ok steps, retries error rows, and counts the whole run', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    let failing = true;
    const adapter = new ScriptedAdapter((request) => {
      if (failing && request.messages[1].content.startsWith('question 2 ')) throw new ProviderError('invalid_request', 'context too long', { httpStatus: 400 });
      return reply('A');
    });
    const first = await runLane(options(dir, adapter));
    assert.equal(first.counts, { ok: 11, abstain: 0, error: 1 });
    failing = false;
    const before = adapter.calls.length;
    const second = await runLane(options(dir, adapter, { runId: first.runId, resume: true }));
    assert.is(adapter.calls.length - before, 1, 'only the error step is sent again');
    assert.equal(second.counts, { ok: 12, abstain: 0, error: 0 });
    const log = await readRunLog(first.path);
    assert.is(log.steps.length, 12);
    assert.is(log.steps.find((s) => s.item_id === 'q2')?.status, 'ok');
  } finally {
    cleanup();
  }
});

engine('--resume sends an infrastructure failure again, never a model failure (a parse error is a final 0)', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const parsing: Task<McqItem> = {
      ...echoTask,
      async runStep(item, replicate, context) {
        const outcome = await echoTask.runStep(item, replicate, context);
        return outcome.response?.text === '' ? { status: 'error', evaluation: null, response: outcome.response, error: { kind: 'parse', message: 'empty answer', http_status: null } } : outcome;
      },
    };
    let failing = true;
    const adapter = new ScriptedAdapter((request) => {
      const question = request.messages[1].content;
      if (failing && question.startsWith('question 2 ')) throw new ProviderError('timeout', 'timed out', { httpStatus: null });
      return reply(question.startsWith('question 3 ') ? '' : 'A');
    });
    const first = await runLane(options(dir, adapter, { task: parsing, settings: { ...SETTINGS, maxRetries: 0 } }));
    assert.equal(first.counts, { ok: 10, abstain: 0, error: 2 });
    failing = false;
    const before = adapter.calls.length;
    const second = await runLane(options(dir, adapter, { task: parsing, runId: first.runId, resume: true }));
    assert.equal(adapter.calls.slice(before).map((c) => c.request.messages[1].content.split(' ')[1]), ['2'], 'only the timeout is sent again');
    assert.equal(second.counts, { ok: 11, abstain: 0, error: 1 });
  } finally {
    cleanup();
  }
});

engine('an interrupted run writes run_end interrupted and resumes without repeating a step', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const controller = new AbortController();
    const adapter = new ScriptedAdapter(async (_r, i) => {
      if (i === 5) controller.abort();
      await delay(2);
      return reply('A');
    });
    const first = await runLane(options(dir, adapter, { suite: makeSuite(30, 30), signal: controller.signal, settings: { ...SETTINGS, concurrency: 2 }, graceMs: 1000 }));
    assert.is(first.status, 'interrupted');
    assert.is(first.stoppedBy, 'signal');
    const partial = await readRunLog(first.path);
    assert.is(partial.end?.status, 'interrupted');
    const done = partial.steps.length;
    assert.ok(done >= 5 && done < 30);
    const sentBefore = adapter.calls.length;
    const second = await runLane(options(dir, adapter, { suite: makeSuite(30, 30), runId: first.runId, resume: true }));
    assert.is(second.counts.ok, 30);
    assert.is(adapter.calls.length - sentBefore, 30 - done);
    const items = (await readRunLog(first.path)).steps.map((s) => s.item_id);
    assert.is(new Set(items).size, 30);
  } finally {
    cleanup();
  }
});

engine('--max-cost stops before a request would exceed it (interrupted, reason max-cost)', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const adapter = new ScriptedAdapter(() => reply('A', { prompt: 1000, completion: 100 }));
    // sim prices: $1/M input, $4/M output → $0.0014 a step
    const result = await runLane(options(dir, adapter, { suite: makeSuite(50, 50), prices: readPriceTable(), settings: { ...SETTINGS, concurrency: 1, maxCostUsd: 0.01 } }));
    assert.is(result.stoppedBy, 'max-cost');
    assert.ok(result.costUsd <= 0.01, `spent ${result.costUsd}`);
    assert.is(result.priced, true);
    const unpriced = await runLane(options(dir, adapter, { suite: makeSuite(2) }));
    assert.equal([unpriced.priced, unpriced.costUsd], [false, 0], 'no price table: costUsd says nothing, and priced says so');
    assert.ok(result.counts.ok >= 5 && result.counts.ok < 50);
    const log = await readRunLog(result.path);
    assert.equal([log.end?.status, log.end?.reason], ['interrupted', 'max-cost']);
  } finally {
    cleanup();
  }
});

engine('--dry-run writes the exact request bodies, redacted, and sends nothing', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const adapter = new ScriptedAdapter();
    const result = await runLane(options(dir, adapter, { dryRun: true }));
    assert.is(adapter.calls.length, 0);
    const lines = readFileSync(result.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { body: { messages: unknown[]; authorization: string } });
    assert.is(lines.length, 12);
    assert.is(lines[0].body.messages.length, 2);
    assert.is(lines[0].body.authorization, '[redacted]');
    assert.not.match(readFileSync(result.path, 'utf8'), /sk-should-never-appear/);
    assert.equal(await listRunLogFiles(dir), [], 'a dump is never taken for a run log');
  } finally {
    cleanup();
  }
});

engine('--verify-first stops after one failed request with a clear error', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const adapter = new ScriptedAdapter(() => {
      throw new ProviderError('auth', 'Incorrect API key provided', { httpStatus: 401 });
    });
    try {
      await runLane(options(dir, adapter, { settings: { ...SETTINGS, verifyFirst: true } }));
      assert.unreachable();
    } catch (error) {
      assert.instance(error, CliError);
      assert.match((error as Error).message, /--verify-first: the first request for lane scripted\.t0-5 failed with auth \(HTTP 401\)/);
      assert.is((error as CliError).exitCode, 2);
    }
    assert.is(adapter.calls.length, 1);
  } finally {
    cleanup();
  }
});

engine('--verify-first on an account out of quota: exit 2 and the fix, not a stack', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const adapter = new ScriptedAdapter(() => {
      throw new ProviderError('quota', 'openai HTTP 429 insufficient_quota: You exceeded your current quota', { httpStatus: 429 });
    });
    try {
      await runLane(options(dir, adapter, { settings: { ...SETTINGS, verifyFirst: true } }));
      assert.unreachable();
    } catch (error) {
      assert.instance(error, CliError);
      assert.match((error as Error).message, /failed with quota \(HTTP 429\): openai HTTP 429 insufficient_quota/);
      assert.is((error as CliError).exitCode, 2);
      assert.match((error as CliError).hint ?? '', /plan and billing/);
    }
    assert.is(adapter.calls.length, 1);
  } finally {
    cleanup();
  }
});

engine('reads the environment it is given: USER names who ran it, its secrets stay out of the log', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const adapter = new ScriptedAdapter(() => reply('A key-1234567890 leaked'));
    const result = await runLane(options(dir, adapter, { suite: makeSuite(1), env: { USER: 'alice', MY_SERVICE_API_KEY: 'key-1234567890' } }));
    const log = await readRunLog(result.path);
    assert.is(log.start?.created_by, 'alice');
    assert.is(log.steps[0].response?.text, 'A [redacted] leaked');
    assert.is((await readRunLog((await runLane(options(dir, adapter, { suite: makeSuite(1) }))).path)).start?.created_by, 'unknown', 'no USER in the env given: unknown, whoever runs the tests');
  } finally {
    cleanup();
  }
});

engine('runs given one LimiterRegistry share the limiter of their (provider, model, key) bucket', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const row = { provider: 'sim', model: 'sim-test', requestsPerMinute: 1, windowMs: 60_000 };
    const limiters = new LimiterRegistry();
    // another run of this process has taken the minute's one request
    await limiters.limiterFor(limitBucketKey(TEST_LANE), row).acquire(1);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const shared = new ScriptedAdapter();
    const waited = await runLane(options(dir, shared, { suite: makeSuite(2), limits: limitsTableOf([row]), limiters, signal: controller.signal, graceMs: 50 }));
    assert.is(shared.calls.length, 0, 'the shared limit is spent: nothing is sent');
    assert.is(waited.stoppedBy, 'signal');
    const own = new ScriptedAdapter();
    await runLane(options(dir, own, { suite: makeSuite(1), limits: limitsTableOf([row]), limiters: new LimiterRegistry() }));
    assert.is(own.calls.length, 1, 'another registry has limiters of its own');
  } finally {
    cleanup();
  }
});

const ACCOUNT_FAILURES = [
  { error: new ProviderError('auth', 'OPENAI_API_KEY is not set: the openai lane needs an API key in it (nothing was sent)', { httpStatus: null }), stop: /stopped at its first authentication failure/, fix: /^set the key, then resume: audition run --resume / },
  { error: new ProviderError('quota', 'openai HTTP 429 insufficient_quota: You exceeded your current quota', { httpStatus: 429 }), stop: /stopped at its first quota or billing failure/, fix: /^check the provider account's plan and billing .*, then resume: audition run --resume / },
];

for (const { error: failure, stop, fix } of ACCOUNT_FAILURES) {
  engine(`the first ${failure.kind} failure stops the run: every request would fail alike`, async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      const adapter = new ScriptedAdapter(() => {
        throw failure;
      });
      try {
        await runLane(options(dir, adapter, { suite: makeSuite(50, 50), settings: { ...SETTINGS, concurrency: 4 } }));
        assert.unreachable();
      } catch (error) {
        assert.instance(error, CliError);
        assert.ok((error as Error).message.includes(failure.message), (error as Error).message);
        assert.match((error as Error).message, stop);
        assert.is((error as CliError).exitCode, 2);
        assert.match((error as CliError).hint ?? '', fix);
      }
      assert.ok(adapter.calls.length <= 4, `${adapter.calls.length} requests: at most the ones already in flight`);
      const [path] = (await import('node:fs')).readdirSync(`${dir}/smoke`).filter((f) => f.endsWith('.jsonl')).map((f) => `${dir}/smoke/${f}`);
      const log = await readRunLog(path);
      assert.equal([log.end?.status, log.end?.reason], ['failed', failure.kind]);
    } finally {
      cleanup();
    }
  });
}

engine('a run that completes with too many error steps ends failed (reason error-rate), not completed', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    // every third request is refused by the provider (not retried): 4 of 12 steps end in errors
    const flaky = () => new ScriptedAdapter((_request, index) => {
      if (index % 3 === 0) throw new ProviderError('invalid_request', 'HTTP 400: bad request', { httpStatus: 400 });
      return reply('A');
    });
    const strict = await runLane(options(dir, flaky(), { settings: { ...SETTINGS, concurrency: 1 } }));
    assert.equal([strict.status, strict.counts.error, strict.errorRate], ['failed', 4, { share: 4 / 12, max: 0.2 }], 'above the default 0.2');
    assert.equal([(await readRunLog(strict.path)).end?.status, (await readRunLog(strict.path)).end?.reason], ['failed', 'error-rate']);
    const lenient = await runLane(options(dir, flaky(), { settings: { ...SETTINGS, concurrency: 1, maxErrorRate: 0.5 } }));
    assert.equal([lenient.status, lenient.errorRate], ['completed', undefined], 'within --max-error-rate 0.5');
    const broken = await runLane(options(dir, new ScriptedAdapter(() => {
      throw new ProviderError('invalid_request', 'HTTP 400: bad request', { httpStatus: 400 });
    }), { settings: { ...SETTINGS, maxErrorRate: 1 } }));
    assert.is(broken.status, 'failed', 'a run whose every step errored never completes, whatever the rate');
  } finally {
    cleanup();
  }
});

engine('excessErrorShare: the share of error steps when it is above the maximum, or when every step errored', () => {
  assert.is(excessErrorShare({ ok: 8, abstain: 0, error: 2 }, 0.2), null, '0.2 is not above 0.2');
  assert.is(excessErrorShare({ ok: 7, abstain: 0, error: 3 }, 0.2), 0.3);
  assert.is(excessErrorShare({ ok: 0, abstain: 0, error: 5 }, 1), 1);
  assert.is(excessErrorShare({ ok: 0, abstain: 0, error: 0 }, 0), null, 'nothing ran');
});

engine('refuses, before any log exists, a lane whose output budget alone exceeds its tokens-per-minute row', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const row = { provider: 'sim', model: '*', tokensPerMinute: 30_000 };
    const adapter = new ScriptedAdapter();
    const big = { ...TEST_LANE, dials: { ...TEST_LANE.dials, max_output_tokens: 32_000 } };
    try {
      await runLane(options(dir, adapter, { lane: big, limits: limitsTableOf([row], 'my-limits.md') }));
      assert.unreachable();
    } catch (error) {
      assert.instance(error, CliError);
      assert.match((error as Error).message, /output budget of 32000 tokens .* not below the 30000 tokens a minute of its limits row \(sim \| \* in my-limits\.md\)/);
      assert.match((error as CliError).hint ?? '', /raise that row's tokens_per_minute .* or lower the lane's max_output_tokens/);
    }
    assert.is(adapter.calls.length, 0);
    assert.equal(await listRunLogFiles(dir), [], 'no run log for a lane that cannot send');
    const fits = await runLane(options(dir, adapter, { lane: { ...big, dials: { ...big.dials, max_output_tokens: 2_000 } }, limits: limitsTableOf([row]) }));
    assert.is(fits.status, 'completed');
  } finally {
    cleanup();
  }
});

engine('refuses an inactive lane', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    try {
      await runLane(options(dir, new ScriptedAdapter(), { lane: { ...TEST_LANE, active: false } }));
      assert.unreachable();
    } catch (error) {
      assert.match((error as Error).message, /not active/);
    }
  } finally {
    cleanup();
  }
});

engine.run();
