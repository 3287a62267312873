// audition sweep through the real bin: sim lanes (offline, deterministic) for what a sweep finds on disk, and a
// slow fake OpenAI server for Ctrl-C, so the sweep is still running when the signal arrives.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode } from '../../lib/errors.ts';
import { readRunLog } from '../../pipelines/runlog/reader.ts';
import { startFakeOpenAI } from '../fakes/index.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const SUITE = fileURLToPath(new URL('../../suites/demo-mcq.jsonl', import.meta.url));
/** At seed 1, 30 items × 2 replicates: the weak lane ends with one (parse) error step, the strong lane with none. */
const SWEEP = ['--suite', SUITE, '--limit', '30', '--replicates', '2'];

interface Row {
  lane: string;
  run_id: string;
  action: string;
  status: string;
  ok: number | null;
  errors: number | null;
}

const rowsOf = (stdout: string): Row[] => stdout.trim().split('\n').map((l) => JSON.parse(l) as Row);

const found = suite('audition sweep: the runs it finds');
let runs: { dir: string; cleanup: () => void };

found.before(() => {
  runs = makeTempDir();
  // `typo` names a model the sim does not know: every request it sends fails
  for (const [alias, model, temperature] of [['weak', 'sim-weak', '1.5'], ['strong', 'sim-strong', '0.7'], ['typo', 'sim-nope', '0.7']]) {
    const added = runCli(['lanes', 'add', '--alias', alias, '--provider', 'sim', '--model', model, '--temperature', temperature, '--runs-dir', runs.dir]);
    assert.is(added.code, 0, added.stderr);
  }
});

found.after(() => runs.cleanup());

/** The sweep of SWEEP's settings into `stage` of the shared runs folder, as JSON rows. */
const sweep = (stage: string, ...extra: string[]) => runCli(['sweep', '--stage', stage, ...SWEEP, '--runs-dir', runs.dir, '--json', ...extra]);
const BOTH = ['--lane', 'weak.t1-5', '--lane', 'strong.t0-7'];

found('--retry-errors resumes a finished run that has error steps and skips one without; the latest run_end is the run’s state for status and aggregate', async () => {
  // over --max-error-rate 0 the weak run ends failed; a sweep does not run a finished run again on its own
  const first = sweep('retry', ...BOTH, '--max-error-rate', '0');
  assert.is(first.code, ExitCode.unexpected, first.stderr);
  assert.equal(rowsOf(first.stdout).map((r) => [r.lane, r.status, r.errors]).sort(), [['strong.t0-7', 'completed', 0], ['weak.t1-5', 'failed', 1]]);
  const weakId = rowsOf(first.stdout).find((r) => r.lane === 'weak.t1-5')!.run_id;
  const weakLog = join(runs.dir, 'retry', `${weakId}.jsonl`);
  // the sim's errors are malformed answers, final (a model failure); make this one a timeout, which a resume sends again
  const written = readFileSync(weakLog, 'utf8');
  assert.is(written.match(/"kind":"parse"/g)?.length, 1);
  writeFileSync(weakLog, written.replace('"kind":"parse"', '"kind":"timeout"'));

  const again = sweep('retry', ...BOTH);
  assert.is(again.code, 0, again.stderr);
  assert.equal(rowsOf(again.stdout).map((r) => r.action), ['skipped', 'skipped']);
  assert.match(again.stderr, new RegExp(`weak\\.t1-5: run ${weakId} already finished \\(1 error step; --retry-errors sends them again\\); skipped`));

  const retried = sweep('retry', ...BOTH, '--retry-errors', '--max-error-rate', '0.5');
  assert.is(retried.code, 0, retried.stderr);
  assert.equal(rowsOf(retried.stdout).map((r) => [r.lane, r.action]).sort(), [['strong.t0-7', 'skipped'], ['weak.t1-5', 'retried']]);
  assert.match(retried.stderr, /sweep: 0 started, 0 resumed, 1 retried for their error steps, 1 already complete\n/);
  const lines = readFileSync(weakLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; status?: string });
  assert.equal(lines.filter((l) => l.type === 'run_end').map((l) => l.status), ['failed', 'completed'], 'the resume appended a second run_end');
  assert.is(lines.filter((l) => l.type === 'step').length, 61, 'only the error step was sent again');
  const log = await readRunLog(weakLog);
  assert.equal([log.end?.status, log.steps.length, log.superseded], ['completed', 60, 1]);

  const status = runCli(['status', weakId, '--runs-dir', runs.dir, '--json']);
  assert.is(status.code, 0, status.stderr);
  const progress = JSON.parse(status.stdout) as { status: string; done: number; errors: number; model_failures: number; pending: number };
  // done counts a model failure (final) as errors does: count it once
  assert.equal([progress.status, progress.done + progress.errors - progress.model_failures, progress.pending], ['completed', 60, 0]);
  const aggregated = runCli(['aggregate', '--runs-dir', runs.dir]);
  assert.is(aggregated.code, 0, aggregated.stderr);
  const ended = runCli(['sql', '--runs-dir', runs.dir, '--json', `SELECT end_status FROM runs WHERE run_id = '${weakId}'`]);
  assert.is(ended.code, 0, ended.stderr);
  assert.equal(JSON.parse(ended.stdout), { end_status: 'completed' });
});

found('finds a run archived as .jsonl.gz or moved to another folder: skips it when finished, resumes a plain partial log where it is, and explains a compressed partial one', async () => {
  const first = sweep('archive', '--lane', 'strong.t0-7');
  assert.is(first.code, 0, first.stderr);
  const runId = rowsOf(first.stdout)[0].run_id;
  const plain = join(runs.dir, 'archive', `${runId}.jsonl`);
  const text = readFileSync(plain, 'utf8');

  // a finished run, archived: skipped, not "run id taken"
  writeFileSync(`${plain}.gz`, gzipSync(text));
  rmSync(plain);
  const archived = sweep('archive', '--lane', 'strong.t0-7');
  assert.is(archived.code, 0, archived.stderr);
  assert.equal(rowsOf(archived.stdout).map((r) => [r.run_id, r.action]), [[runId, 'skipped']]);
  assert.not.match(archived.stderr, /taken/);

  // a partial run, archived: the lane fails with what to do; nothing is written
  const partial = text.trim().split('\n').filter((l) => !l.includes('"type":"run_end"')).slice(0, 21).join('\n') + '\n';
  writeFileSync(`${plain}.gz`, gzipSync(partial));
  const compressed = sweep('archive', '--lane', 'strong.t0-7');
  assert.is(compressed.code, ExitCode.usage, compressed.stderr);
  assert.equal(rowsOf(compressed.stdout).map((r) => [r.action, r.status]), [['resumed', 'failed']]);
  assert.match(compressed.stderr, new RegExp(`run ${runId} is not finished, but its log is compressed \\(${plain}\\.gz\\) and a run continues only in a plain \\.jsonl log \\(decompress it in place \\('gunzip ${plain}\\.gz'\\), then run the same sweep again\\)`));
  assert.is(gunzipSync(readFileSync(`${plain}.gz`)).toString('utf8'), partial);

  // decompressed into another folder: resumed in place
  const elsewhere = join(runs.dir, 'old', `${runId}.jsonl`);
  mkdirSync(join(runs.dir, 'old'));
  writeFileSync(elsewhere, partial);
  rmSync(`${plain}.gz`);
  const resumed = sweep('archive', '--lane', 'strong.t0-7');
  assert.is(resumed.code, 0, resumed.stderr);
  assert.equal(rowsOf(resumed.stdout).map((r) => [r.action, r.status, r.ok]), [['resumed', 'completed', 60]]);
  const log = await readRunLog(elsewhere);
  assert.equal([log.end?.status, log.steps.length], ['completed', 60]);
});

found('passes --timeout, --max-retries, --no-cache and --verify-first to each run', async () => {
  const flagged = sweep('flags', '--lane', 'strong.t0-7', '--timeout', '7', '--max-retries', '1', '--no-cache');
  assert.is(flagged.code, 0, flagged.stderr);
  const log = await readRunLog(join(runs.dir, 'flags', `${rowsOf(flagged.stdout)[0].run_id}.jsonl`));
  const settings = log.start?.settings as { timeout_ms: number; max_retries: number };
  assert.equal([settings.timeout_ms, settings.max_retries], [7000, 1]);
  assert.ok(log.steps.every((s) => s.tokens.cached_read === 0 && s.tokens.cache_write === 0), 'no prompt-cache markers');
  const cached = sweep('cached', '--lane', 'strong.t0-7');
  assert.ok((await readRunLog(join(runs.dir, 'cached', `${rowsOf(cached.stdout)[0].run_id}.jsonl`))).steps.some((s) => s.tokens.cached_read > 0), 'without --no-cache, passages are cached');

  const verified = sweep('verify', '--lane', 'typo.t0-7', '--verify-first');
  assert.is(verified.code, ExitCode.usage, verified.stderr);
  assert.match(verified.stderr, /--verify-first: the first request for lane typo\.t0-7 failed with invalid_request: unknown sim model "sim-nope".*nothing else was sent/);
  assert.is((await readRunLog(join(runs.dir, 'verify', `${rowsOf(verified.stdout)[0].run_id}.jsonl`))).steps.length, 1);
});

found.run();

const interrupt = suite('audition sweep, interrupted (SIGINT to the real bin)');

interrupt('Ctrl-C exits 130, lists the lane stopped mid-run and the lanes never started, and the same command resumes the whole sweep', async () => {
  const fake = await startFakeOpenAI({ latencyMs: 60, respond: () => ({ text: '{"answer": "A", "citations": []}' }) });
  const own = makeTempDir();
  try {
    const limits = join(own.dir, 'limits.md');
    writeFileSync(limits, '| provider | model | requests_per_minute | tokens_per_minute |\n|---|---|---|---|\n| openai | * | | |\n');
    for (const temperature of ['0.1', '0.2']) {
      const added = runCli(['lanes', 'add', '--alias', '4o', '--provider', 'openai', '--model', 'gpt-4o', '--temperature', temperature, '--max-output-tokens', '256', '--base-url', `${fake.url}/v1`, '--runs-dir', own.dir]);
      assert.is(added.code, 0, added.stderr);
    }
    const env = { OPENAI_API_KEY: 'sk-test' };
    const args = ['sweep', '--stage', 'sig', '--suite', SUITE, '--concurrency', '2', '--parallel', '1', '--runs-dir', own.dir, '--limits', limits];
    const cli = startCli(args, env);
    const stage = join(own.dir, 'sig');
    for (let i = 0; i < 800; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      try {
        const logs = readdirSync(stage);
        if (logs.length > 0 && readFileSync(join(stage, logs[0]), 'utf8').split('\n').length > 10) break;
      } catch {
        // not created yet
      }
    }
    cli.kill('SIGINT');
    assert.is(await cli.exited, ExitCode.interrupted, cli.output());
    const stderr = cli.stderr();
    const stopped = /interrupted mid-run: (\S+) \(run (\S+)\)/.exec(stderr);
    assert.ok(stopped !== null, stderr);
    const others = ['4o.t0-1', '4o.t0-2'].filter((l) => l !== stopped[1]);
    assert.match(stderr, new RegExp(`never started: ${others.join(', ').replaceAll('.', '\\.')}`));
    assert.match(stderr, /sweep: 1 started, 0 resumed, 0 retried for their error steps, 0 already complete, 1 not started\n/);
    assert.ok(stderr.includes(`resume the whole sweep with: audition ${args.join(' ')}\n`), stderr);
    assert.equal([(await readRunLog(join(stage, `${stopped[2]}.jsonl`))).end?.status], ['interrupted']);

    // async: the fake server answers from this process
    const resumed = startCli(args, env);
    assert.is(await resumed.exited, 0, resumed.output());
    assert.match(resumed.stderr(), /sweep: 1 started, 1 resumed, 0 retried for their error steps, 0 already complete/);
  } finally {
    await fake.close();
    own.cleanup();
  }
});

interrupt.run();
