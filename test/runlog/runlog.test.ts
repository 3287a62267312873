import { appendFileSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from '../../lib/errors.ts';
import { completedStepKeys, readRunLog, readRunStart } from '../../pipelines/runlog/reader.ts';
import { dryRunDumpPath, findRunLogs, listRunLogFiles, requireRunLog } from '../../pipelines/runlog/discover.ts';
import { RunLogWriter } from '../../pipelines/runlog/writer.ts';
import { stepKey } from '../../core/record.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { runEnd, runStart, step } from '../helpers/records.ts';

const reader = suite('readRunLog');

reader('reads back what the writer wrote', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const path = join(dir, 'smoke', 'r1.jsonl');
    const writer = RunLogWriter.create(path, {});
    writer.write(runStart('r1'));
    writer.write(step('r1', 'q1', 0, 'ok', 0));
    writer.write(step('r1', 'q2', 0, 'abstain', 1));
    writer.write(runEnd('r1', { ok: 1, abstain: 1, error: 0 }));
    writer.close();
    const log = await readRunLog(path);
    assert.is(log.start?.run_id, 'r1');
    assert.is(log.steps.length, 2);
    assert.is(log.end?.status, 'completed');
    assert.equal(log.problems, []);
  } finally {
    cleanup();
  }
});

reader('a log cut mid-line loses only that line and reports it', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const path = join(dir, 'r2.jsonl');
    const full = [runStart('r2'), step('r2', 'q1', 0, 'ok'), step('r2', 'q2', 0, 'ok')].map((r) => JSON.stringify(r)).join('\n');
    writeFileSync(path, full.slice(0, full.length - 40));
    const log = await readRunLog(path);
    assert.is(log.steps.length, 1);
    assert.is(log.problems.length, 1);
    assert.is(log.problems[0].line, 3);
    assert.is(log.problems[0].file, path);
    assert.match(log.problems[0].reason, /cut off mid-line/);
  } finally {
    cleanup();
  }
});

reader('a malformed middle line is reported with its line number; the rest is read', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const path = join(dir, 'r3.jsonl');
    const bad = { ...step('r3', 'q2', 0, 'ok'), status: 'maybe' };
    writeFileSync(path, [runStart('r3'), step('r3', 'q1', 0, 'ok'), bad, '{not json', step('r3', 'q3', 0, 'error')].map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
    const log = await readRunLog(path);
    assert.equal(log.steps.map((s) => s.item_id), ['q1', 'q3']);
    assert.equal(log.problems.map((p) => p.line), [3, 4]);
    assert.is(log.problems[0].reason, "step: status must be one of ok, abstain, error");
    assert.match(log.problems[1].reason, /not valid JSON/);
  } finally {
    cleanup();
  }
});

reader('a resumed run: the latest record per key wins and done keys are skipped', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const path = join(dir, 'r4.jsonl');
    const first = RunLogWriter.create(path, {});
    first.write(runStart('r4'));
    first.write(step('r4', 'q1', 0, 'ok', 0));
    first.write(step('r4', 'q2', 0, 'error', 1));
    first.close();
    appendFileSync(path, '{"type":"step","run_id":"r4","ite'); // killed mid-write
    const resumed = RunLogWriter.append(path, {});
    resumed.write(step('r4', 'q2', 0, 'ok', 1));
    resumed.write(step('r4', 'q3', 0, 'ok', 2));
    resumed.write(runEnd('r4', { ok: 3, abstain: 0, error: 0 }));
    resumed.close();
    const log = await readRunLog(path);
    assert.equal(log.steps.map((s) => `${s.item_id}:${s.status}`), ['q1:ok', 'q2:ok', 'q3:ok']);
    assert.is(log.superseded, 1);
    assert.is(log.problems.length, 1, 'the torn line is reported, and the next record was not glued to it');
    assert.ok(completedStepKeys(log).has(stepKey({ item_id: 'q2', replicate: 0 })));
  } finally {
    cleanup();
  }
});

reader('reads gzipped logs', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const path = join(dir, 'r5.jsonl.gz');
    writeFileSync(path, gzipSync([runStart('r5'), step('r5', 'q1', 0, 'ok')].map((r) => JSON.stringify(r)).join('\n') + '\n'));
    const log = await readRunLog(path);
    assert.is(log.steps.length, 1);
  } finally {
    cleanup();
  }
});

const writer = suite('RunLogWriter');

writer('two writers can never hold the same run', () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const path = join(dir, 'r6.jsonl');
    const first = RunLogWriter.create(path, {});
    assert.throws(() => RunLogWriter.append(path, {}), (e: Error) => e instanceof CliError && /being written by process \d+/.test(e.message));
    first.close();
    const again = RunLogWriter.append(path, {});
    again.close();
  } finally {
    cleanup();
  }
});

writer('a lock held by another live process is refused; a dead owner’s lock is taken over', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const path = join(dir, 'r7.jsonl');
    writeFileSync(path, JSON.stringify(runStart('r7')) + '\n');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    const { hostname } = await import('node:os');
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: holder.pid, host: hostname(), since: 'now' }));
    assert.throws(() => RunLogWriter.append(path, {}), new RegExp(`process ${holder.pid}`));
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    const taken = RunLogWriter.append(path, {});
    taken.close();
    assert.not.ok(existsSync(`${path}.lock`));
  } finally {
    cleanup();
  }
});

writer('refuses to create over an existing log', () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const path = join(dir, 'r8.jsonl');
    RunLogWriter.create(path, {}).close();
    assert.throws(() => RunLogWriter.create(path, {}), /already exists/);
  } finally {
    cleanup();
  }
});

writer('keeps environment secrets out of the log', () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const path = join(dir, 'r9.jsonl');
    const w = RunLogWriter.create(path, { OPENAI_API_KEY: 'sk-test-secret-value-123456', BILLING_TOKEN: 'plain-secret-987' });
    const s = step('r9', 'q1', 0, 'error');
    s.error = { kind: 'auth', message: 'bad key sk-test-secret-value-123456 for Bearer abcdefghijkl (plain-secret-987)', http_status: 401 };
    w.write(s);
    w.close();
    const text = readFileSync(path, 'utf8');
    assert.not.match(text, /sk-test-secret/);
    assert.not.match(text, /plain-secret/, 'a value of the given environment, though not key-shaped');
    assert.not.match(text, /abcdefghijkl/);
  } finally {
    cleanup();
  }
});

reader('readRunStart reads the first line only; findRunLogs/requireRunLog find a run by id in any stage', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const path = join(dir, 'holdout', 'r10.jsonl');
    writeFileSync(join(dir, 'x.txt'), '');
    const w = RunLogWriter.create(path, {});
    w.write(runStart('r10'));
    w.close();
    appendFileSync(path, '{not json\n');
    assert.is((await readRunStart(path))?.run_id, 'r10', 'a bad later line does not matter');
    writeFileSync(join(dir, 'holdout', 'r11.jsonl'), '{"type":"step"}\n');
    assert.is(await readRunStart(join(dir, 'holdout', 'r11.jsonl')), null);
    writeFileSync(join(dir, 'holdout', 'r10.jsonl.gz'), gzipSync(''));
    assert.equal((await findRunLogs(dir, 'r10')).sort(), [path, `${path}.gz`].sort());
    assert.is(await requireRunLog(dir, 'r10'), path, 'resume appends to the plain log, never the archived one');
    try {
      await requireRunLog(dir, 'r99');
      assert.unreachable();
    } catch (error) {
      assert.instance(error, CliError);
      assert.match((error as Error).message, /no run log for run r99 under /);
    }
  } finally {
    cleanup();
  }
});

const discover = suite('listRunLogFiles');

discover('finds *.jsonl and *.jsonl.gz, never a dry-run dump, nor anything in _- or .-prefixed folders', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const put = (path: string) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, '{}\n');
    };
    const logs = [join(dir, 'smoke', 'a.jsonl'), join(dir, 'smoke', 'b.jsonl.gz'), join(dir, 'deep', 'er', 'c.jsonl')];
    for (const path of logs) put(path);
    put(dryRunDumpPath(dir, 'smoke', 'a'));
    put(join(dir, 'smoke', 'old.dry-run.jsonl')); // where earlier versions wrote dumps
    put(join(dir, '_archive', 'x.jsonl'));
    put(join(dir, 'smoke', '.hidden', 'y.jsonl'));
    put(join(dir, 'smoke', 'notes.txt'));
    assert.equal(await listRunLogFiles(dir), [...logs].sort());
    assert.equal(await findRunLogs(dir, 'a'), [logs[0]], 'resume and status never see the dump of run a');
  } finally {
    cleanup();
  }
});

reader.run();
writer.run();
discover.run();
