import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const DEMO_LANES = fileURLToPath(new URL('../../lanes/demo.yaml', import.meta.url));
const importLanes = suite('importLanes (audition lanes import, audition demo)');

importLanes('a lane the user disabled stays disabled through lanes import and demo, with one line saying so', () => {
  const runs = makeTempDir();
  try {
    const at = ['--runs-dir', runs.dir];
    assert.is(runCli(['lanes', 'import', DEMO_LANES, ...at]).code, 0);
    assert.is(runCli(['lanes', 'disable', 'coin.t1-0', ...at]).code, 0);
    const flagsOf = (slug: string) => (JSON.parse(runCli(['lanes', 'show', slug, '--json', ...at]).stdout) as { active: boolean; visible: boolean });

    const imported = runCli(['lanes', 'import', DEMO_LANES, ...at]);
    assert.is(imported.code, 0, imported.stderr);
    assert.match(imported.stderr, "lane coin.t1-0 stays disabled as you left it ('audition lanes enable coin.t1-0' to run it again)");
    assert.is(imported.stderr.match(/stays disabled/g)?.length, 1, 'one line, for the one disabled lane');
    assert.equal([flagsOf('coin.t1-0').active, flagsOf('coin.t1-0').visible], [false, false]);
    assert.is(flagsOf('weak.t0-7').active, true);

    const demo = runCli(['demo', '--replicates', '1', ...at]);
    assert.is(demo.code, 0, demo.stderr);
    assert.match(demo.stderr, 'lane coin.t1-0 stays disabled as you left it');
    assert.not.match(demo.stderr, /coin\.t1-0 \d+\/\d+/, 'the demo does not run it');
    assert.is(flagsOf('coin.t1-0').active, false);
  } finally {
    runs.cleanup();
  }
});

importLanes.run();
