import { appendFileSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EXPORTED_TABLES } from '../../analysis/aggregate/export.ts';
import { aggregate } from '../../analysis/aggregate/build.ts';
import { withDatabase } from '../../lib/duckdb.ts';
import { makeBenchSweep, writeRunLog } from '../../bench/synthetic.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { query, stepOf } from './fixtures.ts';

const exports = suite('exportTables');

/** A small sweep: 6 runs of 30 items × 2 replicates. */
async function writeSweep(runs: string): Promise<void> {
  const sweep = makeBenchSweep({ files: 6, itemsPerRun: 30, replicates: 2 });
  for (const [i, run] of sweep.entries()) await writeRunLog(join(runs, run.stage, `${run.runId}.jsonl`), run, i);
}

/** The steps as DuckDB writes them to CSV in one go, sorted, for comparing with the assembled steps.csv.gz. */
async function expectedStepsCsv(database: string, dir: string): Promise<string[]> {
  const path = join(dir, 'expected.csv');
  await withDatabase(database, { readOnly: true }, (c) => c.run(`COPY (SELECT * FROM steps) TO '${path}' (FORMAT csv, HEADER false)`));
  return readFileSync(path, 'utf8').trimEnd().split('\n').sort();
}

exports('every table as Parquet and CSV.gz, the catalog beside the runs, INSIGHTS.md; incremental steps.csv.gz equals a fresh one', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const out = join(runs, '_aggregated');
    await writeSweep(runs);
    const first = await aggregate({ runsDir: runs, outDir: out });
    for (const table of EXPORTED_TABLES) {
      assert.ok(existsSync(join(out, 'exports', `${table}.parquet`)), `${table}.parquet`);
      assert.ok(existsSync(join(out, 'exports', `${table}.csv.gz`)), `${table}.csv.gz`);
    }
    assert.ok(first.exports.includes(join(out, 'plots', 'INSIGHTS.md')));
    const db = join(out, 'audition.duckdb');
    const [{ n }] = await query(db, 'SELECT count(*) AS n FROM steps');
    assert.is(n, 360);
    const parquetOf = (table: string) => join(out, 'exports', table === 'steps' ? 'steps.parquet/*.parquet' : `${table}.parquet`);
    assert.is(readdirSync(join(out, 'exports', 'steps.parquet')).length, 1, 'a first build writes steps.parquet as a dataset folder of one part');
    for (const table of EXPORTED_TABLES) {
      const [{ rows }] = await query(db, `SELECT count(*) AS rows FROM read_parquet('${parquetOf(table)}')`);
      const [{ expected }] = await query(db, `SELECT count(*) AS expected FROM ${table}`);
      assert.is(rows, expected, `${table}.parquet has every row`);
      const csv = gunzipSync(readFileSync(join(out, 'exports', `${table}.csv.gz`))).toString('utf8').trimEnd().split('\n');
      assert.is(csv.length - 1, expected, `${table}.csv.gz has a header and every row`);
    }
    const header = gunzipSync(readFileSync(join(out, 'exports', 'steps.csv.gz'))).toString('utf8').split('\n')[0];
    assert.ok(header.startsWith('run_id,item_id,replicate,cluster,'), header);
    const catalog = readFileSync(join(runs, '_catalog', 'catalog.csv'), 'utf8').trimEnd().split('\n');
    assert.is(catalog.length, 1 + 6);
    const created = catalog.slice(1).map((line) => line.split(',')[0]);
    assert.equal(created, [...created].sort().reverse(), 'the catalog is newest first');
    const before = gunzipSync(readFileSync(join(out, 'exports', 'steps.csv.gz'))).toString('utf8').trimEnd().split('\n').slice(1).sort();
    assert.equal(before, await expectedStepsCsv(db, dir));

    // Grow one log: the first build's part is split into the unchanged logs and the grown one; the result equals a fresh export.
    const [firstRun] = makeBenchSweep({ files: 1, itemsPerRun: 30, replicates: 2 });
    const growOneLog = (item: string) => appendFileSync(join(runs, firstRun.stage, `${firstRun.runId}.jsonl`), JSON.stringify({ ...stepOf(firstRun.runId, firstRun.lane, item, 0, 'right'), cluster: 'x' }) + '\n');
    const parts = () => new Map(readdirSync(join(out, 'exports', 'steps.parquet')).map((name) => [name, statSync(join(out, 'exports', 'steps.parquet', name)).mtimeMs]));
    const partRows = async (name: string) => Number((await query(db, `SELECT count(*) AS n FROM read_parquet('${join(out, 'exports', 'steps.parquet', name)}')`))[0].n);
    growOneLog('extra-item');
    const grown = await aggregate({ runsDir: runs, outDir: out });
    assert.is(grown.ingest.filesRead, 1);
    const split = parts();
    assert.equal((await Promise.all([...split.keys()].map(partRows))).sort((a, b) => a - b), [61, 300], 'the grown log has a part of its own');

    // Grow it again: only its own part is encoded again.
    await new Promise((resolve) => setTimeout(resolve, 20));
    growOneLog('extra-item-2');
    const again = await aggregate({ runsDir: runs, outDir: out });
    assert.is(again.ingest.filesRead, 1);
    const after2 = parts();
    const kept = [...split].filter(([name, mtime]) => after2.get(name) === mtime);
    assert.is(kept.length, 1, 'the part of the unchanged logs is kept as it was');
    assert.is(await partRows(kept[0][0]), 300);
    assert.is(after2.size, 2);
    const [{ parquetRows }] = await query(db, `SELECT count(*) AS parquetRows FROM read_parquet('${parquetOf('steps')}')`);
    assert.is(parquetRows, 362);
    const after = gunzipSync(readFileSync(join(out, 'exports', 'steps.csv.gz'))).toString('utf8').trimEnd().split('\n').slice(1).sort();
    assert.is(after.length, 362);
    assert.equal(after, await expectedStepsCsv(db, dir));
  } finally {
    cleanup();
  }
});

exports('a new log appends its part to steps.csv.gz; a file that does not match the manifest is assembled again', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const out = join(runs, '_aggregated');
    const db = join(out, 'audition.duckdb');
    const csvPath = join(out, 'exports', 'steps.csv.gz');
    const sweep = makeBenchSweep({ files: 4, itemsPerRun: 20, replicates: 2 });
    const writeRun = (i: number) => writeRunLog(join(runs, sweep[i].stage, `${sweep[i].runId}.jsonl`), sweep[i], i);
    await writeRun(0);
    await writeRun(1);
    await aggregate({ runsDir: runs, outDir: out });
    const first = readFileSync(csvPath);

    await writeRun(2);
    await aggregate({ runsDir: runs, outDir: out });
    const second = readFileSync(csvPath);
    assert.ok(second.length > first.length && second.subarray(0, first.length).equals(first), 'the earlier file is a byte prefix of the new one');
    const rows = (bytes: Buffer) => gunzipSync(bytes).toString('utf8').trimEnd().split('\n').slice(1).sort();
    assert.equal(rows(second), await expectedStepsCsv(db, dir));

    // What a crash between writing steps.csv.gz and its manifest could leave: a file the manifest does not describe.
    writeFileSync(csvPath, first);
    await writeRun(3);
    await aggregate({ runsDir: runs, outDir: out });
    const third = rows(readFileSync(csvPath));
    assert.is(third.length, 4 * 20 * 2);
    assert.equal(third, await expectedStepsCsv(db, dir));
  } finally {
    cleanup();
  }
});

exports.run();
