import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode } from '../../lib/errors.ts';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const SUITE = fileURLToPath(new URL('../../suites/demo-mcq.jsonl', import.meta.url));
const DEMO_LANES = fileURLToPath(new URL('../../lanes/demo.yaml', import.meta.url));
const ids = suite('run ids (audition run --run-id / --resume, audition status)');

ids('a taken --run-id is refused in any stage; a shared id makes resume and status ask for the path', () => {
  const runs = makeTempDir();
  try {
    const at = ['--runs-dir', runs.dir];
    assert.is(runCli(['lanes', 'import', DEMO_LANES, ...at]).code, 0);
    const newRun = (stage: string) => runCli(['run', '--lane', 'coin.t1-0', '--suite', SUITE, '--limit', '2', '--stage', stage, '--run-id', 'X', ...at]);
    const first = newRun('a');
    assert.is(first.code, 0, first.stderr);
    const again = newRun('b');
    assert.is(again.code, ExitCode.usage);
    assert.match(again.stderr, `run id X is taken: ${join(runs.dir, 'a', 'X.jsonl')}`);

    const resumed = runCli(['run', '--resume', 'X', '--suite', SUITE, ...at]);
    assert.is(resumed.code, 0, 'resume finds the run by id in its own stage');

    // a log copied into another stage repeats the id
    mkdirSync(join(runs.dir, 'b'));
    copyFileSync(join(runs.dir, 'a', 'X.jsonl'), join(runs.dir, 'b', 'X.jsonl'));
    for (const args of [['status', 'X', ...at], ['run', '--resume', 'X', '--suite', SUITE, ...at]]) {
      const r = runCli(args);
      assert.is(r.code, ExitCode.usage, args.join(' '));
      assert.match(r.stderr, `2 logs have run id X: ${join(runs.dir, 'a', 'X.jsonl')}, ${join(runs.dir, 'b', 'X.jsonl')}`);
      assert.match(r.stderr, /pass the path/);
    }
    const byPath = runCli(['run', '--resume', join(runs.dir, 'b', 'X.jsonl'), '--suite', SUITE, ...at]);
    assert.is(byPath.code, 0, byPath.stderr);
    assert.match(byPath.stderr, join(runs.dir, 'b', 'X.jsonl'));
    assert.is(runCli(['status', join(runs.dir, 'b', 'X.jsonl')]).code, 0);
  } finally {
    runs.cleanup();
  }
});

ids.run();
