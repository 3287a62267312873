import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openTestSchema } from './pg.ts';
import { closedPort } from './ports.ts';

const test = suite('openTestSchema');

test('an unreachable server: one line says what is skipped and how to fail instead, and no schema', async () => {
  const port = await closedPort();
  const lines: string[] = [];
  const schema = await openTestSchema('PostgreSQL tests of X', { env: {}, log: (line) => lines.push(line), url: `postgres://postgres@127.0.0.1:${port}/test` });
  assert.is(schema, null);
  assert.is(lines.length, 1);
  assert.match(lines[0], new RegExp(`^skipped: PostgreSQL tests of X \\(127\\.0\\.0\\.1:${port} unreachable: .+; set AUDITION_TEST_PG=required to fail instead\\)$`));
  assert.not.match(lines[0], /\n/);
});

test('an unreachable server with AUDITION_TEST_PG=required is a failure, not a skip', async () => {
  const port = await closedPort();
  const lines: string[] = [];
  try {
    await openTestSchema('PostgreSQL tests of X', { env: { AUDITION_TEST_PG: 'required' }, log: (line) => lines.push(line), url: `postgres://postgres@127.0.0.1:${port}/test` });
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, new RegExp(`^PostgreSQL tests of X: AUDITION_TEST_PG=required, but PostgreSQL at 127\\.0\\.0\\.1:${port} unreachable`));
  }
  assert.equal(lines, []);
});

test.run();
