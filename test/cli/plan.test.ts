import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode } from '../../lib/errors.ts';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const SUITE = fileURLToPath(new URL('../../suites/demo-mcq.jsonl', import.meta.url));
const plan = suite('audition plan');

plan('without pilot data: the worst case, said so, with the pilot to run; bad flags name the fix', () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const r = runCli(['plan', '--lanes', 'a.t0,b.t0', '--suite', SUITE, '--mde', '0.05', '--replicates', '1,3', '--json', '--runs-dir', dir]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /no pilot data for a\.t0 and b\.t0 on suite demo-mcq .*worst case/);
    assert.match(r.stderr, /run a pilot and aggregate it: audition sweep --stage pilot --lane a\.t0 --lane b\.t0 /);
    // scipy: the first n with (t.ppf(.975, n−1) + t.ppf(.8, n−1)) · sqrt(0.5 / n) ≤ 0.05 is 1572; replicates do not help
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { replicates: number; items_needed: number; suite_suffices: boolean });
    assert.equal(rows.map((x) => [x.replicates, x.items_needed, x.suite_suffices]), [[1, 1572, false], [3, 1572, false]]);

    const one = runCli(['plan', '--lanes', 'a.t0', '--suite', SUITE, '--mde', '0.05', '--runs-dir', dir]);
    assert.is(one.code, ExitCode.usage);
    assert.match(one.stderr, /--lanes takes two different lanes/);
    const noMde = runCli(['plan', '--lanes', 'a.t0,b.t0', '--suite', SUITE, '--runs-dir', dir]);
    assert.is(noMde.code, ExitCode.usage);
    assert.match(noMde.stderr, /--mde is required/);
  } finally {
    cleanup();
  }
});

plan.run();
