import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commandHint } from '../../lib/commandHint.ts';

const hint = suite('commandHint');

const ARGS = ['run', '--resume', 'smoke.4o.t0-7.3fa9c2d1', '--suite', '…'];

hint('through npx (npm exec sets npm_command=exec, npm_lifecycle_event=npx): npx audition …', () => {
  assert.is(commandHint({ npm_command: 'exec', npm_lifecycle_event: 'npx', npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js' }, ARGS), 'npx audition run --resume smoke.4o.t0-7.3fa9c2d1 --suite …');
  assert.is(commandHint({ npm_lifecycle_event: 'npx' }, ['status', 'x']), 'npx audition status x', 'an npm that sets only the lifecycle event');
});

hint('through `npm run audition`: npm run audition -- …, so the arguments reach the script', () => {
  assert.is(commandHint({ npm_command: 'run', npm_lifecycle_event: 'audition' }, ARGS), 'npm run audition -- run --resume smoke.4o.t0-7.3fa9c2d1 --suite …');
  assert.is(commandHint({ npm_command: 'run-script', npm_lifecycle_event: 'audition' }, ['lanes', 'list']), 'npm run audition -- lanes list', 'npm before v11 says run-script');
});

hint('otherwise the bin itself, also inside another npm script (e.g. npm test)', () => {
  assert.is(commandHint({}, ARGS), 'audition run --resume smoke.4o.t0-7.3fa9c2d1 --suite …');
  assert.is(commandHint({ npm_command: 'test', npm_lifecycle_event: 'test' }, ['lanes', 'list']), 'audition lanes list');
});

hint('quotes a word the shell would split or expand, so the hint can be pasted', () => {
  assert.is(commandHint({}, ['sql', 'SELECT * FROM runs', '--suite', "it's here/a b.jsonl", '--param', 'stage=compare']), `audition sql 'SELECT * FROM runs' --suite 'it'\\''s here/a b.jsonl' --param stage=compare`);
});

hint.run();
