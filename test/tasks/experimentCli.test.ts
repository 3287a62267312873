import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const EXPERIMENT = new URL('../../experiments/demo-graded.yaml', import.meta.url).pathname;
const cli = suite('audition experiment run');

cli('--plan prints the eligible cases and step counts and runs nothing', () => {
  const r = runCli(['experiment', 'run', EXPERIMENT, '--plan', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { cases: 10, skipped: 3, notes_per_generator: 30, grades_per_grader: 252, notes: 60, grades: 504 });
  assert.match(r.stderr, /skipped announce-02: accepted rubrics from 1 author \(Hannah Weiss\)/);
});

cli('runs both phases with sim lanes, one log per lane, and resumes on a second call', () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const first = runCli(['experiment', 'run', EXPERIMENT, '--runs-dir', dir, '--workers', '4', '--json']);
    assert.is(first.code, 0, first.stderr);
    const rows = first.stdout.trim().split('\n').map((l) => JSON.parse(l) as { phase: string; ok: number; error: number; log: string });
    assert.equal(rows.map((r) => [r.phase, r.ok + r.error]), [['generate', 30], ['generate', 30], ['grade', 252], ['grade', 252]]);
    assert.ok(rows.every((r) => existsSync(r.log)));
    assert.ok(existsSync(join(dir, 'exp', 'demo-graded.grade.strong.t0-7.reason.jsonl')));
    const again = runCli(['experiment', 'run', EXPERIMENT, '--runs-dir', dir]);
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stderr, /resuming run demo-graded\.gen\.strong\.t0-7: 30 of 30 steps already done/);

    // a log archived as .jsonl.gz (or moved to another stage) is found by its run id: a completed one is read, not
    // refused as "run id taken"
    const gen = join(dir, 'exp', 'demo-graded.gen.strong.t0-7.jsonl');
    writeFileSync(`${gen}.gz`, gzipSync(readFileSync(gen)));
    rmSync(gen);
    const archived = runCli(['experiment', 'run', EXPERIMENT, '--runs-dir', dir, '--json']);
    assert.is(archived.code, 0, archived.stderr);
    assert.not.match(archived.stderr, /taken/);
    assert.ok(archived.stdout.includes(`${gen}.gz`), archived.stdout);
    assert.not.ok(existsSync(gen), 'nothing was run again into a new plain log');
  } finally {
    cleanup();
  }
});

cli('a bad experiment file exits 2 naming the file and field', () => {
  const r = runCli(['experiment', 'run', new URL('../../lanes/demo.yaml', import.meta.url).pathname]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /demo\.yaml: field name: is required/);
  assert.not.match(r.stderr, /at .*\.ts:\d+/);
});

cli.run();
