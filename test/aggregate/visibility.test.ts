import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregate } from '../../analysis/aggregate/build.ts';
import { queryNamed } from '../../analysis/queries.ts';
import { PLAIN_COMMAND } from '../../lib/commandHint.ts';
import { withDatabase } from '../../lib/duckdb.ts';
import type { Lane } from '../../core/lane.ts';
import { readLaneFlags } from '../../pipelines/lanes/laneFlags.ts';
import { setLaneFlags } from '../../pipelines/lanes/manage.ts';
import { openLaneStore } from '../../pipelines/lanes/openStore.ts';
import { runCli } from '../helpers/cli.ts';
import { openTestSchema } from '../helpers/pg.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { LANE_A, LANE_B, query, simpleLog, writeLog } from './fixtures.ts';


/** A second setting of model sim-a (temperature 0.7): with a.t0-2 it makes a dial effect and a best-settings choice. */
const LANE_A7: Lane = { ...LANE_A, slug: 'a.t0-7', dials: { temperature: 0.7 } };

/** Three lanes' logs on one suite; a.t0-2 and a.t0-7 are in the registry, b.t0-2 is not (a log from elsewhere). */
async function threeLanes(env: NodeJS.ProcessEnv): Promise<{ runs: string; out: string; cleanup: () => void }> {
  const { dir, cleanup } = makeTempDir();
  const runs = join(dir, 'runs');
  writeLog(runs, 'smoke/r1.jsonl', simpleLog('r1', LANE_A, ['right', 'wrong', 'right', 'wrong', 'right', 'wrong']));
  writeLog(runs, 'smoke/r2.jsonl', simpleLog('r2', LANE_A7, ['right', 'right', 'right', 'right', 'wrong', 'right', 'error']));
  writeLog(runs, 'smoke/r3.jsonl', simpleLog('r3', LANE_B, ['wrong', 'wrong', 'right', 'wrong', 'wrong', 'right']));
  const store = await openLaneStore(runs, { env });
  try {
    await store.upsert([LANE_A, LANE_A7]);
  } finally {
    await store.close();
  }
  return { runs, out: join(runs, '_aggregated'), cleanup };
}

/** Sets a lane's flags in the registry as `audition lanes disable|enable` does. */
async function setFlags(runs: string, env: NodeJS.ProcessEnv, slug: string, on: boolean): Promise<void> {
  const store = await openLaneStore(runs, { env });
  try {
    await setLaneFlags(store, slug, { active: on, visible: on }, PLAIN_COMMAND);
  } finally {
    await store.close();
  }
}

/** Every table a flag can change, in a comparable form (sums may run in another order: rounded to 12 digits). */
async function snapshot(db: string): Promise<unknown> {
  const tables = ['model_ranking', 'lane_pairs', 'best_settings', 'dial_effects', 'runs', 'run_metrics', 'runs_summary', 'item_outcomes', 'by_model_steps', 'lane_flags'];
  const rows = await Promise.all(tables.map((t) => query(db, `SELECT * FROM ${t} ORDER BY ALL`)));
  return JSON.parse(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v)));
}

/** Where a7 (a.t0-7) shows up in the result tables and the report. */
async function whereShown(db: string, insightsPath: string): Promise<string[]> {
  const shown: string[] = [];
  const count = async (sql: string) => Number((await query(db, sql))[0]['n']);
  if ((await count("SELECT count(*) AS n FROM model_ranking WHERE lane = 'a.t0-7'")) > 0) shown.push('model_ranking');
  if ((await count("SELECT count(*) AS n FROM lane_pairs WHERE 'a.t0-7' IN (lane_a, lane_b)")) > 0) shown.push('lane_pairs');
  if ((await count("SELECT count(*) AS n FROM best_settings WHERE concat_ws(' ', baseline_setting, best_setting, tied_settings) LIKE '%a.t0-7%'")) > 0) shown.push('best_settings');
  if ((await count("SELECT count(*) AS n FROM dial_effects WHERE model = 'sim-a'")) > 0) shown.push('dial_effects');
  if (readFileSync(insightsPath, 'utf8').includes('a.t0-7')) shown.push('INSIGHTS.md');
  return shown;
}

/** The same behaviour whichever store holds the registry. */
function visibility(name: string, env: () => NodeJS.ProcessEnv): void {
  const test = suite(`aggregate: the registry decides visibility (${name})`);

  test('disable → aggregate → gone from the results, kept in steps; enable → aggregate → back; each equals a rebuild', async () => {
    const { runs, out, cleanup } = await threeLanes(env());
    try {
      const db = join(out, 'audition.duckdb');
      const build = async (rebuild = false) => aggregate({ runsDir: runs, outDir: out, rebuild, laneFlags: await readLaneFlags(runs, env()) });
      const first = await build();
      const everything = ['model_ranking', 'lane_pairs', 'best_settings', 'dial_effects', 'INSIGHTS.md'];
      assert.equal(await whereShown(db, first.insightsPath), everything);
      const shown = await snapshot(db);

      await setFlags(runs, env(), 'a.t0-7', false);
      const hidden = await build();
      assert.not.ok(hidden.upToDate, 'a change of flags alone is a change');
      assert.equal(hidden.ingest.filesRead, 0, 'no log is read again');
      assert.equal(hidden.flagsChanged, ['a.t0-7']);
      assert.equal(hidden.ranking.map((r) => r.lane).sort(), ['a.t0-2', 'b.t0-2']);
      assert.equal(await whereShown(db, hidden.insightsPath), []);
      assert.equal(await query(db, "SELECT lane, lane_visible, lane_active, count(*) AS n FROM steps GROUP BY ALL ORDER BY lane"), [
        { lane: 'a.t0-2', lane_visible: true, lane_active: true, n: 6 },
        { lane: 'a.t0-7', lane_visible: false, lane_active: false, n: 7 },
        { lane: 'b.t0-2', lane_visible: true, lane_active: null, n: 6 },
      ], 'a hidden lane keeps its steps, flagged; a lane the registry does not hold is shown');
      assert.equal(await query(db, 'SELECT lane, lane_visible FROM catalog ORDER BY lane'), [{ lane: 'a.t0-2', lane_visible: true }, { lane: 'a.t0-7', lane_visible: false }, { lane: 'b.t0-2', lane_visible: true }]);
      assert.match(readFileSync(hidden.insightsPath, 'utf8'), /Lanes hidden in the lane registry \(1\) are left out of this report/);
      assert.match(readFileSync(hidden.insightsPath, 'utf8'), /\| sim \| sim-a \| 6 \| 0 \|/, "INSIGHTS.md's errors and cost leave the hidden lane's steps out");
      assert.equal(await query(db, "SELECT lane_visible, steps, errors FROM by_model_steps WHERE model = 'sim-a' ORDER BY lane_visible"), [{ lane_visible: false, steps: 7, errors: 1 }, { lane_visible: true, steps: 6, errors: 0 }]);
      await withDatabase(db, { readOnly: true }, async (c) => {
        assert.is((await queryNamed(c, 'error_kinds')).length, 1, 'error_kinds counts every lane by default');
        assert.equal(await queryNamed(c, 'error_kinds', { hidden: 'false' }), []);
      });
      const incremental = await snapshot(db);
      assert.ok((await build()).upToDate, 'nothing changed since');
      await build(true);
      assert.equal(incremental, await snapshot(db), 'the update equals a rebuild');

      await setFlags(runs, env(), 'a.t0-7', true);
      const back = await build();
      assert.equal(await whereShown(db, back.insightsPath), everything);
      assert.equal(await snapshot(db), shown, 'enabled again, every table is as it was');
    } finally {
      cleanup();
    }
  });

  test.run();
}

visibility('duckdb', () => ({}));

// A schema of its own, so concurrent test runs (and the registry tests, which drop audition_lanes) never collide.
const pgSchema = await openTestSchema('PostgreSQL tests of lane visibility', { env: process.env, log: (line) => void process.stderr.write(`${line}\n`) });
if (pgSchema !== null) {
  visibility('postgres', () => ({ AUDITION_DATABASE_URL: pgSchema.url }));
  const done = suite('postgres cleanup');
  done.after(() => pgSchema.drop());
  done('drops the test schema', () => undefined);
  done.run();
}

const cli = suite('audition lanes disable / aggregate');

cli('a lane disabled in the registry leaves the printed ranking at the next aggregate, and comes back when enabled', async () => {
  const { runs, cleanup } = await threeLanes({});
  try {
    const lanesOf = (stdout: string) => stdout.trim().split('\n').map((l) => (JSON.parse(l) as { lane: string }).lane).sort();
    assert.equal(lanesOf(runCli(['aggregate', '--runs-dir', runs, '--json']).stdout), ['a.t0-2', 'a.t0-7', 'b.t0-2']);
    const disable = runCli(['lanes', 'disable', 'a.t0-7', '--runs-dir', runs]);
    assert.is(disable.code, 0, disable.stderr);
    assert.match(disable.stderr, /disabled a\.t0-7; the next 'audition aggregate' hides it in rankings and INSIGHTS\.md/);
    const hidden = runCli(['aggregate', '--runs-dir', runs, '--json']);
    assert.is(hidden.code, 0, hidden.stderr);
    assert.equal(lanesOf(hidden.stdout), ['a.t0-2', 'b.t0-2']);
    assert.match(hidden.stderr, /lane flags changed in the registry: a\.t0-7\n/);
    assert.is(runCli(['lanes', 'enable', 'a.t0-7', '--runs-dir', runs]).code, 0);
    assert.equal(lanesOf(runCli(['aggregate', '--runs-dir', runs, '--json']).stdout), ['a.t0-2', 'a.t0-7', 'b.t0-2']);
  } finally {
    cleanup();
  }
});

cli.run();
