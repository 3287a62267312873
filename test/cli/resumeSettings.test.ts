// A resume is the same run: it sends with the settings the run recorded (concurrency, retries, timeout, cost cap,
// limits table, cache order, verify-first) unless a flag overrides one, which a run_resume record keeps and the
// command prints; the cost cap covers the whole run across resumes.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode } from '../../lib/errors.ts';
import { readRunLog } from '../../pipelines/runlog/reader.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/index.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const SUITE = fileURLToPath(new URL('../../suites/demo-mcq.jsonl', import.meta.url));
const env = (): NodeJS.ProcessEnv => ({ OPENAI_API_KEY: 'sk-resume-settings-test' });

const resume = suite('audition run --resume keeps the run’s settings (real openai SDK, fake server)');
let fake: FakeOpenAI;
let runs: { dir: string; cleanup: () => void };
let limits = '';

resume.before(async () => {
  fake = await startFakeOpenAI({ latencyMs: 40, respond: () => ({ text: '{"answer": "A", "citations": []}' }) });
  runs = makeTempDir();
  limits = join(runs.dir, 'limits.md');
  writeFileSync(limits, '| provider | model | requests_per_minute | tokens_per_minute |\n|---|---|---|---|\n| openai | * | | |\n');
  const added = runCli(['lanes', 'add', '--alias', '4o', '--provider', 'openai', '--model', 'gpt-4o', '--temperature', '0.7', '--max-output-tokens', '256', '--base-url', `${fake.url}/v1`, '--runs-dir', runs.dir]);
  assert.is(added.code, 0, added.stderr);
});

resume.after(async () => {
  await fake.close();
  runs.cleanup();
});

const logOf = (stage: string, runId: string) => readRunLog(join(runs.dir, stage, `${runId}.jsonl`));

resume('a bare --resume keeps --max-cost, which covers the whole run; a higher one is an override, recorded and printed', async () => {
  // gpt-4o at $2.50/M input and $10/M output: a demo step costs about $0.002
  const args = ['--suite', SUITE, '--runs-dir', runs.dir];
  const first = startCli(['run', '--lane', '4o.t0-7', '--concurrency', '2', '--stage', 'cap', '--run-id', 'cap1', '--max-cost', '0.01', '--limits', limits, ...args], env());
  assert.is(await first.exited, ExitCode.stopped, first.output());
  const spentFirst = (await logOf('cap', 'cap1')).end!.cost_usd;
  assert.ok(spentFirst > 0 && spentFirst <= 0.01, `spent ${spentFirst}`);

  const sent = fake.stats.requests;
  const bare = startCli(['run', '--resume', 'cap1', ...args], env());
  assert.is(await bare.exited, ExitCode.stopped, bare.output());
  assert.is(fake.stats.requests, sent, 'the cap was reached before the resume: it sends nothing');
  assert.match(bare.output(), /of its --max-cost 0\.01 spent/);
  let log = await logOf('cap', 'cap1');
  assert.is(log.resumes.length, 1);
  assert.equal(log.resumes[0].overrides, {});
  assert.is(log.resumes[0].settings['max_cost_usd'], 0.01);
  assert.is(log.resumes[0].spent_usd, spentFirst);
  assert.ok(log.end!.cost_usd <= 0.01, `the whole run spent ${log.end!.cost_usd}`);

  fake.reset();
  const raised = startCli(['run', '--resume', 'cap1', '--max-cost', '0.03', ...args], env());
  assert.is(await raised.exited, ExitCode.stopped, raised.output());
  assert.match(raised.output(), /--max-cost: 0\.01 → 0\.03 for this resume/);
  log = await logOf('cap', 'cap1');
  assert.equal(log.resumes[1].overrides, { max_cost_usd: { from: 0.01, to: 0.03 } });
  assert.is(log.resumes[1].settings['concurrency'], 2, 'what no flag overrode is kept');
  assert.ok(fake.stats.maxInFlight <= 2, `${fake.stats.maxInFlight} requests in flight at once; the run's --concurrency is 2`);
  assert.ok(log.end!.cost_usd > spentFirst && log.end!.cost_usd <= 0.03, `the cap covers the whole run: ${log.end!.cost_usd}`);

  const sentBefore = fake.stats.requests;
  const again = startCli(['run', '--resume', 'cap1', ...args], env());
  assert.is(await again.exited, ExitCode.stopped, again.output());
  assert.is(fake.stats.requests, sentBefore, 'the latest cap (0.03) holds for the next bare resume');
  assert.equal((await logOf('cap', 'cap1')).resumes[2].overrides, {});
});

resume('a resume sends with the run’s concurrency, retries, timeout, cache order, verify-first and limits table; a changed table is said', async () => {
  const args = ['--suite', SUITE, '--runs-dir', runs.dir];
  const first = startCli(['run', '--lane', '4o.t0-7', '--replicates', '3', '--concurrency', '3', '--max-retries', '1', '--timeout', '9', '--no-cache', '--verify-first', '--limits', limits, '--stage', 'keep', '--run-id', 'keep1', ...args], env());
  const logPath = join(runs.dir, 'keep', 'keep1.jsonl');
  for (let i = 0; i < 400; i++) {
    await new Promise((r) => setTimeout(r, 25));
    try {
      if (readFileSync(logPath, 'utf8').split('\n').length > 12) break;
    } catch {
      // not created yet
    }
  }
  first.kill('SIGINT');
  assert.is(await first.exited, ExitCode.interrupted, first.output());
  const started = (await readRunLog(logPath)).start!.settings;
  assert.equal(
    [started['concurrency'], started['max_retries'], started['timeout_ms'], started['cache_aware'], started['verify_first'], started['limits_file']],
    [3, 1, 9000, false, true, limits],
  );
  assert.match(String(started['limits_sha256']), /^[0-9a-f]{64}$/);

  appendFileSync(limits, '| openai | gpt-4o-mini | 10000 | |\n');
  fake.reset();
  const resumed = startCli(['run', '--resume', 'keep1', '--concurrency', '1', ...args], env());
  assert.is(await resumed.exited, 0, resumed.output());
  assert.match(resumed.output(), /--concurrency: 3 → 1 for this resume/);
  assert.match(resumed.output(), /the limits table .*limits\.md changed since the run last sent/);
  assert.is(fake.stats.maxInFlight, 1, 'the override holds');
  const log = await readRunLog(logPath);
  assert.is(log.end?.status, 'completed');
  const [record] = log.resumes;
  assert.equal(Object.keys(record.overrides).sort(), ['concurrency', 'limits_sha256']);
  assert.equal(
    [record.settings['concurrency'], record.settings['max_retries'], record.settings['timeout_ms'], record.settings['cache_aware'], record.settings['verify_first'], record.settings['limits_file']],
    [1, 1, 9000, false, true, limits],
    'every setting no flag overrode is the run’s own',
  );
});

resume('a recorded setting no run could write is refused with the log, the field and the fix', async () => {
  const own = makeTempDir();
  try {
    const added = runCli(['lanes', 'add', '--alias', 'sim', '--provider', 'sim', '--model', 'sim-strong', '--temperature', '0', '--runs-dir', own.dir]);
    assert.is(added.code, 0, added.stderr);
    const made = runCli(['run', '--lane', 'sim.t0-0', '--suite', SUITE, '--limit', '2', '--stage', 's', '--run-id', 'bad1', '--runs-dir', own.dir]);
    assert.is(made.code, 0, made.stderr);
    const path = join(own.dir, 's', 'bad1.jsonl');
    const [start, ...rest] = readFileSync(path, 'utf8').trim().split('\n');
    const parsed = JSON.parse(start) as { settings: Record<string, unknown> };
    parsed.settings['concurrency'] = 0;
    writeFileSync(path, [JSON.stringify(parsed), ...rest.slice(0, 1)].join('\n') + '\n');
    const r = runCli(['run', '--resume', 'bad1', '--suite', SUITE, '--runs-dir', own.dir]);
    assert.is(r.code, ExitCode.usage, r.stderr);
    assert.match(r.stderr, /bad1\.jsonl: field settings\.concurrency: must be an integer ≥ 1 \(it is 0\)/);
    assert.match(r.stderr, /resume with --concurrency set, which overrides it/);
    const fixed = runCli(['run', '--resume', 'bad1', '--suite', SUITE, '--concurrency', '2', '--runs-dir', own.dir]);
    assert.is(fixed.code, 0, fixed.stderr);
  } finally {
    own.cleanup();
  }
});

resume.run();
