import { join } from 'node:path';
import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from '../../lib/errors.ts';
import { readLaneFile } from '../../pipelines/lanes/laneFile.ts';
import { deleteLane, setLaneFlags, updateLane } from '../../pipelines/lanes/manage.ts';
import { locateRegistry, openLaneStore } from '../../pipelines/lanes/openStore.ts';
import type { LaneStore } from '../../pipelines/lanes/store.ts';
import { RunLogWriter } from '../../pipelines/runlog/writer.ts';
import { runStart } from '../helpers/records.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const ROSTER = new URL('../../lanes/production.yaml', import.meta.url).pathname;
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

const locate = suite('locateRegistry');

locate('defaults to a DuckDB file under runs/, overridable by AUDITION_DATABASE_URL', () => {
  assert.equal(locateRegistry('runs', {}), { kind: 'duckdb', path: join('runs', '_registry', 'lanes.duckdb') });
  assert.equal(locateRegistry('runs', { AUDITION_DATABASE_URL: '/data/lanes.duckdb' }), { kind: 'duckdb', path: '/data/lanes.duckdb' });
  assert.equal(locateRegistry('runs', { AUDITION_DATABASE_URL: PG_URL }), { kind: 'postgres', url: PG_URL });
});

/** The same behaviour is required of every LaneStore. */
function contract(name: string, open: (runsDir: string) => Promise<LaneStore>, reset: () => Promise<void>): void {
  const store = suite(`LaneStore (${name})`);

  store('imports the 26-lane roster and lists it back', async () => {
    await reset();
    const { dir, cleanup } = makeTempDir();
    try {
      const s = await open(dir);
      const lanes = await readLaneFile(ROSTER);
      assert.is(lanes.length, 26);
      assert.equal(await s.upsert(lanes), { added: 26, updated: 0 });
      assert.equal(await s.upsert(lanes.slice(0, 3)), { added: 0, updated: 3 });
      const listed = await s.list();
      assert.is(listed.length, 26);
      const ext = listed.find((l) => l.slug === 'sonnet.t1-0.ext');
      assert.equal(ext?.dials, { temperature: 1, thinking: true, thinking_budget_tokens: 28000, max_output_tokens: 36000 });
      await s.close();
    } finally {
      cleanup();
    }
  });

  store('add refuses a duplicate; disable is a soft delete; set changes the slug with the dials', async () => {
    await reset();
    const { dir, cleanup } = makeTempDir();
    try {
      const s = await open(dir);
      const [lane] = await readLaneFile(ROSTER);
      await s.add(lane);
      try {
        await s.add(lane);
        assert.unreachable();
      } catch (error) {
        assert.instance(error, CliError);
        assert.match((error as Error).message, /already exists/);
      }
      await setLaneFlags(s, lane.slug, { active: false, visible: false });
      const disabled = await s.get(lane.slug);
      assert.equal([disabled?.active, disabled?.visible], [false, false]);
      const changed = await updateLane(s, dir, lane.slug, (draft) => ({ ...draft, dials: { ...draft.dials, reasoning_effort: 'high' } }));
      assert.is(changed.slug, 'gpt5.reason-high');
      assert.is(await s.get(lane.slug), null);
      await s.close();
    } finally {
      cleanup();
    }
  });

  store('delete is refused while a run log references the lane, and never touches the log', async () => {
    await reset();
    const { dir, cleanup } = makeTempDir();
    try {
      const s = await open(dir);
      const [lane] = await readLaneFile(ROSTER);
      await s.add(lane);
      const writer = RunLogWriter.create(join(dir, 'smoke', 'run1.jsonl'), {});
      writer.write(runStart('run1', lane));
      writer.close();
      try {
        await deleteLane(s, dir, lane.slug);
        assert.unreachable();
      } catch (error) {
        assert.match((error as Error).message, /referenced by 1 run log/);
        assert.match((error as CliError).hint ?? '', /lanes disable/);
      }
      try {
        await updateLane(s, dir, lane.slug, (draft) => ({ ...draft, dials: { ...draft.dials, reasoning_effort: 'high' } }));
        assert.unreachable();
      } catch (error) {
        assert.match((error as Error).message, /has 1 run\(s\)/);
      }
      assert.ok(await s.get(lane.slug));
      await s.close();
    } finally {
      cleanup();
    }
  });

  store.run();
}

contract('duckdb', (runsDir) => openLaneStore(runsDir, { env: {} }), async () => {});
contract('postgres', (runsDir) => openLaneStore(runsDir, { env: { AUDITION_DATABASE_URL: PG_URL } }), async () => {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query('DROP TABLE IF EXISTS audition_lanes');
  await client.end();
});

locate.run();
