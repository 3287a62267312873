// The README's set-up and tour, run as written by a new user with no API keys: every command ends without waiting on
// lanes that cannot send, and every such lane is named once, with the variable to set, and gets no run log. How long
// the tour takes is bench/readme-tour.bench.ts's figure.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AUDITION_BIN, withReadmeTour } from '../helpers/readmeTour.ts';

const tour = suite('the README, run as written with no API keys');

tour('every command ends with 0 or a clear exit 2; each lane without a key is named once with the variable to set and gets no log', async () => {
  await withReadmeTour(({ dir, env, setUp, tour: commands }) => {
    assert.ok(commands.length >= 15, `${commands.length} commands`);
    for (const r of [...setUp, ...commands]) {
      assert.ok(r.code === 0 || r.code === 2, `${r.command} exited ${r.code}\n${r.output}`);
      assert.not.match(r.output, /\n\s+at .+:\d+:\d+/, `${r.command} printed a stack trace`);
    }

    const lanes = spawnSync('node', [AUDITION_BIN, 'lanes', 'list', '--json'], { cwd: dir, env, encoding: 'utf8' });
    const keyless = lanes.stdout.trim().split('\n').map((l) => JSON.parse(l) as { slug: string; provider: string; active: boolean }).filter((l) => l.active && l.provider !== 'sim').map((l) => l.slug);
    assert.ok(keyless.length >= 25, `${keyless.length} lanes need keys`);
    const sweep = commands.find((r) => r.command.startsWith('npx audition sweep '));
    assert.ok(sweep !== undefined, 'the tour runs a sweep');
    assert.is(sweep.code, 2, sweep.output);
    const refusals = sweep.output.split('\n').filter((line) => /_API_KEY is not set/.test(line));
    assert.equal(refusals.map((line) => /^warning: (\S+): /.exec(line)?.[1]).sort(), [...keyless].sort(), 'one line per lane that cannot send');
    for (const line of refusals) assert.match(line, /; set [A-Z_]+_API_KEY/, 'the line says what to set');
    assert.match(sweep.output, new RegExp(`${keyless.length} could not send`));
    const logged = readdirSync(join(dir, 'runs', 'holdout'));
    for (const slug of keyless) assert.not.ok(logged.some((file) => file.includes(`.${slug}.`)), `${slug} got a run log`);

    const run = commands.find((r) => r.command.includes('run --lane gpt5.reason-min'));
    assert.equal([run?.code, run?.output.trim().split('\n').filter((l) => l.startsWith('error:')).length], [2, 1], run?.output);
    assert.match(run?.output ?? '', /OPENAI_API_KEY is not set/);
  });
});

tour.run();
