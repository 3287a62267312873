// Hints name the command the way the user started audition: through npx, `npm run audition`, or the bin.
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const SUITE = fileURLToPath(new URL('../../suites/demo-mcq.jsonl', import.meta.url));
/** What npm puts in the environment of the bin it starts (and, for the plain bin, nothing: `npm test` sets its own). */
const STARTED = {
  npx: { npm_command: 'exec', npm_lifecycle_event: 'npx', npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js' },
  'npm run audition': { npm_command: 'run', npm_lifecycle_event: 'audition', npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js' },
  bin: { npm_command: '', npm_lifecycle_event: '', npm_execpath: '' },
} as const;

const hints = suite('hints through the real bin');

hints('a hint from bin/ and one from deep in the runner both name the command as the user typed it', () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const expected = { npx: 'npx audition', 'npm run audition': 'npm run audition --', bin: 'audition' } as const;
    for (const [how, env] of Object.entries(STARTED) as [keyof typeof STARTED, NodeJS.ProcessEnv][]) {
      const sql = runCli(['sql', '--runs-dir', dir, 'SELECT 1'], { env });
      assert.is(sql.code, 2, sql.stderr);
      assert.ok(sql.stderr.includes(`hint: run '${expected[how]} aggregate' first (or pass --db FILE)`), `${how}: ${sql.stderr}`);
      const run = runCli(['run', '--lane', 'nope', '--suite', SUITE, '--runs-dir', dir], { env });
      assert.is(run.code, 2, run.stderr);
      assert.ok(run.stderr.includes(`hint: see '${expected[how]} lanes list'`), `${how}: ${run.stderr}`);
    }
  } finally {
    cleanup();
  }
});

hints.run();
