import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DERIVED, aggregate } from '../../analysis/aggregate/build.ts';
import { SQL_DIR, bindParams, listQueries, parseNamedQuery, queryNamed } from '../../analysis/queries.ts';
import { CliError } from '../../lib/errors.ts';
import { withDatabase } from '../../lib/duckdb.ts';
import { runStart } from '../helpers/records.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { LANE_A, LANE_B, simpleLog, stepOf, writeLog } from './fixtures.ts';

const loader = suite('named queries');

loader('every sql/ file has a header that names it, says its kind and declares its parameters', () => {
  const queries = listQueries();
  assert.ok(queries.length >= 20);
  for (const q of queries) {
    assert.ok(q.summary.length > 10, `${q.name}: summary`);
    if (q.kind === 'view') assert.is(q.params.length, 0, `${q.name}: a view cannot take parameters`);
    if (q.kind === 'table') for (const p of q.params) assert.is(p.default, 'NULL', `${q.name}: a table's parameter ${p.name} narrows a refresh, so it must default to NULL (the whole table)`);
    for (const p of q.params) assert.ok(new RegExp(`\\$${p.name}\\b`).test(q.text), `${q.name}: parameter ${p.name} is declared but never used`);
    const used = [...q.text.matchAll(/\$([a-z_]+)/g)].map((m) => m[1]).filter((n) => !['slug', 'task', 'dials', 'replicates', 'limit', 'name', 'path', 'sha256', 'n_items', 'alias', 'provider', 'model', 'backend', 'visible', 'active', 'audition_version', 'git_commit', 'node', 'host'].includes(n) || q.params.some((p) => p.name === n));
    for (const name of used) assert.ok(q.params.some((p) => p.name === name), `${q.name}: $${name} is used but not declared`);
  }
  for (const name of DERIVED) assert.is(queries.find((q) => q.name === name)?.folder, 'build', `sql/build/${name}.sql exists`);
  for (const name of ['progress', 'lane_coverage', 'recent_errors', 'lane_generations']) assert.is(queries.find((q) => q.name === name)?.folder, 'queries');
});

/** The names of the .sql files in one folder of sql/. */
function namesIn(folder: string): string[] {
  return readdirSync(join(SQL_DIR, folder)).filter((f) => f.endsWith('.sql')).map((f) => f.slice(0, -4));
}

/** The source of every TypeScript file under the folders given (relative to the project root). */
function sourcesUnder(...folders: string[]): string {
  const root = join(SQL_DIR, '..');
  return folders.flatMap((folder) => readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(root, folder, f), 'utf8'))).join('\n');
}

loader('sql/ holds two folders: user queries (SELECTs only) and the build\'s own SQL, with no name in both', () => {
  assert.equal(readdirSync(SQL_DIR).filter((f) => f.endsWith('.sql')), [], 'every file lives in sql/queries/ or sql/build/');
  const users = namesIn('queries');
  const build = namesIn('build');
  assert.equal(users.filter((n) => build.includes(n)), [], 'a name resolves to one file');
  for (const q of listQueries(['queries'])) assert.is(q.kind, 'query', `sql/queries/${q.name}.sql: a user runs queries, never a statement, script or definition`);
  // The code that builds the database names each build file; one nothing names is dead SQL or belongs in queries/.
  const code = sourcesUnder('analysis', 'reports', 'bin');
  for (const name of build) assert.ok(new RegExp(`'${name}'`).test(code), `sql/build/${name}.sql is used by the build`);
});

loader('parseNamedQuery rejects a file without a proper header', () => {
  assert.throws(() => parseNamedQuery('x', 'SELECT 1', 'queries'), /must start with "-- x:/);
  assert.throws(() => parseNamedQuery('x', '-- x: one\nSELECT 1', 'queries'), /kind/);
  const q = parseNamedQuery('x', '-- x: one thing\n-- kind: query\n-- param: limit INTEGER = 5  -- how many\n-- param: lane VARCHAR\nSELECT $lane LIMIT $limit;', 'queries');
  assert.equal(q.params.map((p) => [p.name, p.type, p.default, p.description]), [['limit', 'INTEGER', '5', 'how many'], ['lane', 'VARCHAR', undefined, '']]);
  assert.is(q.text.endsWith(';'), false);
});

loader('bindParams: defaults, typed values from text, and usage errors that list the parameters', () => {
  const q = parseNamedQuery('x', '-- x: one thing\n-- kind: query\n-- param: limit INTEGER = 5\n-- param: lane VARCHAR = NULL\n-- param: run_id VARCHAR\nSELECT 1', 'queries');
  assert.equal(bindParams(q, { run_id: 'r1' }).values, { limit: 5, lane: null, run_id: 'r1' });
  assert.equal(bindParams(q, { run_id: 'r1', limit: '12' }).values['limit'], 12);
  assert.throws(() => bindParams(q, {}), (e: unknown) => e instanceof CliError && /needs --param run_id=VALUE/.test(e.message) && /limit \(INTEGER, default 5\)/.test(e.hint ?? ''));
  assert.throws(() => bindParams(q, { run_id: 'r1', bogus: '1' }), (e: unknown) => e instanceof CliError && /no parameter "bogus"/.test(e.message));
  assert.throws(() => bindParams(q, { run_id: 'r1', limit: 'ten' }), /whole number/);
});

const monitoring = suite('monitoring queries');

monitoring('progress, lane coverage, recent errors and generations per lane, with values bound (never spliced)', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const out = join(dir, 'out');
    const start = { ...runStart('r1', LANE_A), suite: { ...runStart('r1').suite, n_items: 5 } };
    const cached = { ...stepOf('r1', LANE_A, 'q2', 0, 'wrong', 1), tokens: { prompt: 100, completion: 10, cached_read: 64, cache_write: 0, reasoning: 0 } };
    writeLog(runs, 'live/r1.jsonl', [start, stepOf('r1', LANE_A, 'q1', 0, 'right', 0), cached, stepOf('r1', LANE_A, 'q3', 0, 'error', 2)]);
    const [r2Start, ...r2Rest] = simpleLog('r2', LANE_B, ['right', 'error', 'abstain']);
    writeLog(runs, 'done/r2.jsonl', [{ ...r2Start, stage: 'done' }, ...r2Rest]);
    await aggregate({ runsDir: runs, outDir: out });
    await withDatabase(join(out, 'audition.duckdb'), { readOnly: true }, async (c) => {
      const progress = await queryNamed(c, 'progress', { run_id: 'r1' });
      assert.equal(progress.map((r) => [r['status'], Number(r['steps']), Number(r['cache_hits'])]), [['error', 1, 0], ['ok', 2, 1]]);
      const coverage = await queryNamed(c, 'lane_coverage');
      assert.equal(coverage.map((r) => [r['lane'], Number(r['total']), Number(r['completed']), Number(r['error']), Number(r['pending'])]), [['a.t0-2', 5, 2, 1, 2], ['b.t0-2', 3, 2, 1, 0]]);
      assert.equal((await queryNamed(c, 'lane_coverage', { stage: 'done' })).map((r) => r['lane']), ['b.t0-2']);
      const errors = await queryNamed(c, 'recent_errors', { limit: '1' });
      assert.is(errors.length, 1);
      assert.equal((await queryNamed(c, 'recent_errors', { lane: 'b.t0-2' })).map((r) => r['run_id']), ['r2']);
      const generations = await queryNamed(c, 'lane_generations', { lane: 'a.t0-2' });
      assert.equal(generations.map((r) => [r['lane'], Number(r['runs']), Number(r['generations'])]), [['a.t0-2', 1, 3]]);
      assert.equal(await queryNamed(c, 'progress', { run_id: "r1' OR '1'='1" }), [], 'a quote in a value is data, not SQL');
      const open = await c.runAndReadAll("SELECT status FROM runs_summary WHERE run_id = 'r1'");
      assert.equal(open.getRowObjectsJS(), [{ status: 'open' }], 'a run without run_end is open');
    });
  } finally {
    cleanup();
  }
});

monitoring('every query in sql/queries/ runs on an aggregated database with its defaults', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const out = join(dir, 'out');
    writeLog(runs, 'smoke/r1.jsonl', simpleLog('r1', LANE_A, ['right', 'wrong', 'error']));
    writeLog(runs, 'smoke/r2.jsonl', simpleLog('r2', LANE_B, ['right', 'abstain']));
    await aggregate({ runsDir: runs, outDir: out });
    const required: Record<string, string> = { run_id: 'r1', suite: 'demo', lane_a: LANE_A.slug, lane_b: LANE_B.slug };
    await withDatabase(join(out, 'audition.duckdb'), { readOnly: true }, async (c) => {
      for (const q of listQueries(['queries'])) {
        const given = Object.fromEntries(q.params.filter((p) => p.default === undefined).map((p) => [p.name, required[p.name]]));
        for (const [name, value] of Object.entries(given)) assert.ok(value !== undefined, `${q.name}: give the test a value for its required parameter ${name}`);
        await queryNamed(c, q.name, given);
      }
    });
  } finally {
    cleanup();
  }
});

loader.run();
monitoring.run();
