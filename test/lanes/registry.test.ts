import { join } from 'node:path';
import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PLAIN_COMMAND } from '../../lib/commandHint.ts';
import { CliError } from '../../lib/errors.ts';
import { readLaneFile } from '../../pipelines/lanes/laneFile.ts';
import { deleteLane, setLaneFlags, updateLane } from '../../pipelines/lanes/manage.ts';
import { locateRegistry, openLaneStore } from '../../pipelines/lanes/openStore.ts';
import type { LaneStore } from '../../pipelines/lanes/store.ts';
import { RunLogWriter } from '../../pipelines/runlog/writer.ts';
import { runStart } from '../helpers/records.ts';
import { TEST_PG_URL, openTestSchema, type TestSchema } from '../helpers/pg.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const ROSTER = new URL('../../lanes/production.yaml', import.meta.url).pathname;

const locate = suite('locateRegistry');

locate('defaults to a DuckDB file under runs/, overridable by AUDITION_DATABASE_URL', () => {
  assert.equal(locateRegistry('runs', {}), { kind: 'duckdb', path: join('runs', '_registry', 'lanes.duckdb') });
  assert.equal(locateRegistry('runs', { AUDITION_DATABASE_URL: '/data/lanes.duckdb' }), { kind: 'duckdb', path: '/data/lanes.duckdb' });
  assert.equal(locateRegistry('runs', { AUDITION_DATABASE_URL: TEST_PG_URL }), { kind: 'postgres', url: TEST_PG_URL });
});

/** A registry backend under test: how to open a store, and how to empty it between tests. */
interface Backend {
  open(runsDir: string): Promise<LaneStore>;
  reset(): Promise<void>;
}

/** The same behaviour is required of every LaneStore; a null backend (no server) registers the tests as skipped. */
function contract(name: string, backend: Backend | null): void {
  const suiteOf = suite(`LaneStore (${name})`);
  const store = backend === null ? suiteOf.skip : suiteOf;
  /** An emptied store in a fresh runs folder, closed and removed after `body`, pass or fail. */
  const withStore = async (body: (s: LaneStore, dir: string) => Promise<void>): Promise<void> => {
    if (backend === null) return;
    await backend.reset();
    const { dir, cleanup } = makeTempDir();
    try {
      const s = await backend.open(dir);
      try {
        await body(s, dir);
      } finally {
        await s.close();
      }
    } finally {
      cleanup();
    }
  };

  store('imports the 26-lane roster and lists it back', () => withStore(async (s) => {
    const lanes = await readLaneFile(ROSTER);
    assert.is(lanes.length, 26);
    assert.equal(await s.upsert(lanes), { added: 26, updated: 0 });
    assert.equal(await s.upsert(lanes.slice(0, 3)), { added: 0, updated: 3 });
    const listed = await s.list();
    assert.is(listed.length, 26);
    const ext = listed.find((l) => l.slug === 'sonnet.t1-0.ext');
    assert.equal(ext?.dials, { temperature: 1, thinking: true, thinking_budget_tokens: 28000, max_output_tokens: 36000 });
  }));

  store('add refuses a duplicate; disable is a soft delete; set changes the slug with the dials', () => withStore(async (s, dir) => {
    const [lane] = await readLaneFile(ROSTER);
    await s.add(lane);
    try {
      await s.add(lane);
      assert.unreachable();
    } catch (error) {
      assert.instance(error, CliError);
      assert.match((error as Error).message, /already exists/);
    }
    await setLaneFlags(s, lane.slug, { active: false, visible: false }, PLAIN_COMMAND);
    const disabled = await s.get(lane.slug);
    assert.equal([disabled?.active, disabled?.visible], [false, false]);
    const changed = await updateLane(s, dir, lane.slug, (draft) => ({ ...draft, dials: { ...draft.dials, reasoning_effort: 'high' } }), PLAIN_COMMAND);
    assert.is(changed.slug, 'gpt5.reason-high');
    assert.is(await s.get(lane.slug), null);
  }));

  store('delete is refused while a run log references the lane, and never touches the log', () => withStore(async (s, dir) => {
    const [lane] = await readLaneFile(ROSTER);
    await s.add(lane);
    const writer = RunLogWriter.create(join(dir, 'smoke', 'run1.jsonl'), {});
    writer.write(runStart('run1', lane));
    writer.close();
    try {
      await deleteLane(s, dir, lane.slug, PLAIN_COMMAND);
      assert.unreachable();
    } catch (error) {
      assert.match((error as Error).message, /referenced by 1 run log/);
      assert.match((error as CliError).hint ?? '', /lanes disable/);
    }
    try {
      await updateLane(s, dir, lane.slug, (draft) => ({ ...draft, dials: { ...draft.dials, reasoning_effort: 'high' } }), PLAIN_COMMAND);
      assert.unreachable();
    } catch (error) {
      assert.match((error as Error).message, /has 1 run\(s\)/);
    }
    assert.ok(await s.get(lane.slug));
  }));

  suiteOf.run();
}

contract('duckdb', { open: (runsDir) => openLaneStore(runsDir, { env: {} }), reset: async () => {} });
// A schema of this run's own, so concurrent test runs on one server never share the audition_lanes table.
const pgSchema = await openTestSchema('PostgreSQL tests of LaneStore (postgres)', { env: process.env, log: (line) => void process.stderr.write(`${line}\n`) });
contract('postgres', pgSchema === null ? null : {
  open: (runsDir) => openLaneStore(runsDir, { env: { AUDITION_DATABASE_URL: pgSchema.url } }),
  reset: () => pgSchema.query('DROP TABLE IF EXISTS audition_lanes'),
});

const isolation = suite('openTestSchema');
// the last suite of this file to use the schema drops it, pass or fail
isolation.after(async () => pgSchema?.drop());

(pgSchema === null ? isolation.skip : isolation)('another test run gets a schema of its own: the same table name, two tables', async () => {
  const mine = pgSchema as TestSchema;
  const other = (await openTestSchema('PostgreSQL tests of openTestSchema', { env: { AUDITION_TEST_PG: 'required' }, log: () => {} })) as TestSchema;
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    assert.is.not(other.schema, mine.schema);
    await mine.query('CREATE TABLE IF NOT EXISTS audition_lanes (slug TEXT PRIMARY KEY)');
    await other.query('CREATE TABLE audition_lanes (slug TEXT PRIMARY KEY)');
    const { rows } = await client.query("SELECT table_schema FROM information_schema.tables WHERE table_name = 'audition_lanes' AND table_schema = ANY($1)", [[mine.schema, other.schema]]);
    assert.equal(rows.map((r: { table_schema: string }) => r.table_schema).sort(), [mine.schema, other.schema].sort());
    await other.drop();
    assert.is((await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [other.schema])).rowCount, 0, 'drop removes the schema');
  } finally {
    await client.end();
    await other.drop();
  }
});

isolation.run();

locate.run();
