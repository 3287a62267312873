import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeBenchSweep, writeRunLog } from '../../bench/synthetic.ts';
import { ExitCode } from '../../lib/errors.ts';
import { runCli, startCli, type StartedCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { query } from './fixtures.ts';

// Logs big enough that a build takes a second or two here (20,000 steps), so a signal lands mid-build.
const FIRST_LOGS = 10;
const LATER_LOGS = 5;

interface Context {
  runs: string;
  database: string;
  before: { files: number; records: number };
  cleanup: () => void;
}

const test = suite<Context>('audition aggregate, interrupted (SIGINT to the real bin)', {} as Context);

test.before(async (context) => {
  const { dir, cleanup } = makeTempDir();
  context.cleanup = cleanup;
  context.runs = join(dir, 'runs');
  context.database = join(context.runs, '_aggregated', 'audition.duckdb');
  const sweep = makeBenchSweep({ files: FIRST_LOGS + LATER_LOGS, itemsPerRun: 500, replicates: 4 });
  for (const [i, run] of sweep.slice(0, FIRST_LOGS).entries()) await writeRunLog(join(context.runs, run.stage, `${run.runId}.jsonl`), run, 100 + i);
  const first = runCli(['aggregate', '--runs-dir', context.runs]);
  assert.is(first.code, 0, first.stderr);
  context.before = await countRows(context.database);
  assert.is(context.before.files, FIRST_LOGS);
  // new logs, so that the next build has work to do
  for (const [i, run] of sweep.slice(FIRST_LOGS).entries()) await writeRunLog(join(context.runs, 'later', `${run.runId}.jsonl`), run, 200 + i);
});

test.after((context) => {
  context.cleanup();
});

async function countRows(database: string): Promise<{ files: number; records: number }> {
  const [row] = await query(database, 'SELECT (SELECT count(*) FROM files) AS files, (SELECT count(*) FROM records) AS records');
  return { files: Number(row['files']), records: Number(row['records']) };
}

/** Temp files a build may leave: a temp database, a WAL, DuckDB's spill folder, an export's temp file. */
function leftovers(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (/\.tmp$|\.wal$|\.tmp\b/.test(name)) return [path];
    return statSync(path).isDirectory() ? leftovers(path) : [];
  });
}

/** Polls until `ready` holds (at most 30 s). */
async function waitFor(ready: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The temp database a rebuild writes (in a temp folder beside the real one) exists. */
const tempDatabaseExists = (runs: string) => () => readdirSync(join(runs, '_aggregated'))
  .some((name) => /^\.audition\.duckdb\..*\.tmp$/.test(name) && existsSync(join(runs, '_aggregated', name, 'audition.duckdb')));

/** The lines the command wrote after the first Ctrl-C's notice. */
const afterNotice = (cli: StartedCli) => cli.stderr().split(/SIGINT: stopping the build[^\n]*\n/)[1]?.trim().split('\n') ?? [];

test('Ctrl-C during an update: exit 130, one line, the transaction rolled back, the database as before', async ({ runs, database, before }) => {
  const cli = startCli(['aggregate', '--runs-dir', runs, '--debug']);
  await waitFor(() => cli.stderr().includes('aggregate: plan'), 'the ingest to start'); // phases are printed with --debug
  cli.kill('SIGINT');
  assert.is(await cli.exited, ExitCode.interrupted, cli.output());
  assert.match(cli.stderr(), /aggregate interrupted by SIGINT: .*audition\.duckdb is unchanged and no temp database remains/);
  assert.not.match(cli.stderr(), /read \d+ logs/, 'the build did not finish');
  assert.equal(leftovers(runs), []);
  assert.equal(await countRows(database), before);
});

test('Ctrl-C during a rebuild: exit 130 with one line and no stack, the temp database removed, the old one whole', async ({ runs, database, before }) => {
  const cli = startCli(['aggregate', '--runs-dir', runs, '--rebuild']);
  await waitFor(tempDatabaseExists(runs), 'the temp database');
  cli.kill('SIGINT');
  assert.is(await cli.exited, ExitCode.interrupted, cli.output());
  assert.equal(afterNotice(cli), [`aggregate interrupted by SIGINT: ${database} is unchanged and no temp database remains`]);
  assert.equal(leftovers(runs), []);
  assert.equal(await countRows(database), before);
});

test('a second signal stops at once, before any cleanup could run, and still leaves no temp database behind', async ({ runs, database, before }) => {
  const cli = startCli(['aggregate', '--runs-dir', runs, '--rebuild']);
  await waitFor(tempDatabaseExists(runs), 'the temp database');
  // two SIGINTs sent at once merge into one pending signal; SIGINT and SIGTERM arrive as two (in either order)
  cli.kill('SIGINT');
  cli.kill('SIGTERM');
  assert.is(await cli.exited, ExitCode.interrupted, cli.output());
  assert.match(cli.stderr(), /SIG(INT|TERM): stopped at once/, cli.stderr());
  assert.equal(leftovers(runs), []);
  assert.equal(await countRows(database), before);
});

test('the next aggregate, not interrupted, reads the new logs into the same database', async ({ runs, database }) => {
  const r = runCli(['aggregate', '--runs-dir', runs]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`read ${LATER_LOGS} logs \\(${FIRST_LOGS} unchanged`));
  assert.is((await countRows(database)).files, FIRST_LOGS + LATER_LOGS);
  assert.ok(existsSync(join(runs, '_aggregated', 'plots', 'INSIGHTS.md')));
});

test.run();
