import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode } from '../../lib/errors.ts';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const SUITE = fileURLToPath(new URL('../../suites/demo-mcq.jsonl', import.meta.url));
const DEMO_LANES = fileURLToPath(new URL('../../lanes/demo.yaml', import.meta.url));
const status = suite('audition status');

status('a log without run_end shows running while its writer lives, and stopped (with the resume command) once it is gone', () => {
  const runs = makeTempDir();
  try {
    const at = ['--runs-dir', runs.dir];
    assert.is(runCli(['lanes', 'import', DEMO_LANES, ...at]).code, 0);
    assert.is(runCli(['run', '--lane', 'coin.t1-0', '--suite', SUITE, '--limit', '3', '--stage', 's', '--run-id', 'crashed', ...at]).code, 0);
    const log = join(runs.dir, 's', 'crashed.jsonl');
    // a crash leaves no run_end
    writeFileSync(log, readFileSync(log, 'utf8').split('\n').filter((l) => !l.includes('"run_end"')).join('\n'));
    const lock = (pid: number) => writeFileSync(`${log}.lock`, JSON.stringify({ pid, host: hostname(), since: new Date().toISOString() }));

    const noLock = runCli(['status', 'crashed', ...at]);
    assert.is(noLock.code, 0, noLock.stderr);
    assert.match(noLock.stdout, `crashed (stopped without run_end (resume with: audition run --resume crashed --suite ${SUITE}))`);
    assert.is(JSON.parse(runCli(['status', 'crashed', '--json', ...at]).stdout).status, 'stopped');

    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    lock(dead);
    assert.match(runCli(['status', 'crashed', ...at]).stdout, 'stopped without run_end', `pid ${dead} has exited`);

    lock(process.pid);
    const live = runCli(['status', 'crashed', ...at]);
    assert.match(live.stdout, 'crashed (running)');
    assert.not.match(live.stdout, 'stopped');
  } finally {
    runs.cleanup();
  }
});

status('an unpriced model costs n/a (null in --json), and steps started within a moment give no pace', () => {
  const runs = makeTempDir();
  try {
    const at = ['--runs-dir', runs.dir];
    assert.is(runCli(['lanes', 'import', DEMO_LANES, ...at]).code, 0);
    assert.is(runCli(['run', '--lane', 'coin.t1-0', '--suite', SUITE, '--limit', '3', '--stage', 's', '--run-id', 'free', ...at]).code, 0);
    const log = join(runs.dir, 's', 'free.jsonl');
    // as the engine writes a model the price table does not hold
    const unpriced = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).map((r) => (r['type'] === 'step' ? { ...r, cost_usd: null } : r));
    writeFileSync(log, `${unpriced.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const text = runCli(['status', 'free', ...at]);
    assert.is(text.code, 0, text.stderr);
    assert.match(text.stdout, /cost\s+n\/a/);
    assert.not.match(text.stdout, /\$0\.0000/);
    assert.match(text.stdout, /pace\s+–/, 'three sim steps a few ms apart');
    const json = JSON.parse(runCli(['status', 'free', '--json', ...at]).stdout) as Record<string, unknown>;
    assert.equal([json['cost_usd'], json['steps_per_min']], [null, null]);
  } finally {
    runs.cleanup();
  }
});

status('a file that is not a run log is refused with exit 2', () => {
  const tmp = makeTempDir();
  try {
    const path = join(tmp.dir, 'notes.jsonl');
    writeFileSync(path, '{"hello": "world"}\nnot json\n');
    const r = runCli(['status', path]);
    assert.is(r.code, ExitCode.usage);
    assert.match(r.stderr, `${path} is not a run log: it has no usable run_start and no usable step`);
  } finally {
    tmp.cleanup();
  }
});

status.run();
