import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregate } from '../../analysis/aggregate/build.ts';
import { makeBenchSweep, writeRunLog } from '../../bench/synthetic.ts';
import { runEnd, runStart } from '../helpers/records.ts';
import { TempFiles } from '../../lib/tempFiles.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { createMemoryOutput } from '../../lib/output.ts';
import { LANE_A, LANE_B, query, simpleLog, stepOf, writeGzipLog, writeLog } from './fixtures.ts';

/** Two small logs (lanes a and b) in a temp runs folder, with the aggregate's out folder inside it. */
function twoLaneRuns(): { runs: string; out: string; cleanup: () => void } {
  const { dir, cleanup } = makeTempDir();
  const runs = join(dir, 'runs');
  writeLog(runs, 'smoke/r1.jsonl', simpleLog('r1', LANE_A, ['right', 'wrong', 'right']));
  writeLog(runs, 'smoke/r2.jsonl', simpleLog('r2', LANE_B, ['wrong', 'wrong', 'right']));
  return { runs, out: join(runs, '_aggregated'), cleanup };
}

const incremental = suite('aggregate: incremental ingest');

incremental('reads every log once, then skips unchanged ones without rewriting anything', async () => {
  const { runs, out, cleanup } = twoLaneRuns();
  try {
    const first = await aggregate({ runsDir: runs, outDir: out });
    assert.is(first.ingest.filesRead, 2);
    assert.is(first.ingest.steps, 6);
    assert.ok(first.rebuilt, 'a first build goes to a temp file renamed into place');
    const second = await aggregate({ runsDir: runs, outDir: out });
    assert.ok(second.upToDate);
    assert.is(second.ingest.filesRead, 0);
    assert.is(second.ingest.filesSkipped, 2);
    assert.equal(second.ranking.map((r) => r.lane), first.ranking.map((r) => r.lane), 'an up-to-date build still reports the ranking');
  } finally {
    cleanup();
  }
});

incremental('an update cut short leaves the previous build whole, and the next build completes it', async () => {
  const { runs, out, cleanup } = twoLaneRuns();
  try {
    await aggregate({ runsDir: runs, outDir: out });
    writeLog(runs, 'smoke/r3.jsonl', simpleLog('r3', { ...LANE_B, slug: 'c.t0-2', alias: 'c' }, ['right', 'right', 'right']));
    // INSIGHTS.md is written last: a file where its folder should be makes the update fail after every table changed.
    rmSync(join(out, 'plots'), { recursive: true, force: true });
    writeFileSync(join(out, 'plots'), 'not a folder');
    const failure = await aggregate({ runsDir: runs, outDir: out }).then(() => null, (error: unknown) => error);
    assert.instance(failure, Error, 'the update fails');
    const db = join(out, 'audition.duckdb');
    assert.equal(await query(db, 'SELECT count(*) AS n FROM files'), [{ n: 2 }], 'the new log is not recorded as read');
    assert.equal(await query(db, 'SELECT count(*) AS n FROM item_outcomes'), [{ n: 6 }], 'no table holds the new run');
    assert.equal((await query(db, 'SELECT lane FROM model_ranking ORDER BY lane')).map((r) => r['lane']), ['a.t0-2', 'b.t0-2']);
    rmSync(join(out, 'plots'), { force: true });
    const next = await aggregate({ runsDir: runs, outDir: out });
    assert.is(next.ingest.filesRead, 1);
    assert.equal(next.ranking.map((r) => r.lane).sort(), ['a.t0-2', 'b.t0-2', 'c.t0-2']);
    assert.equal(await query(db, 'SELECT count(*) AS n FROM item_outcomes'), [{ n: 9 }]);
  } finally {
    cleanup();
  }
});

incremental('a log archived between listing and reading is dropped and the build starts over without it', async () => {
  const { runs, out, cleanup } = twoLaneRuns();
  try {
    await aggregate({ runsDir: runs, outDir: out });
    writeLog(runs, 'smoke/r3.jsonl', simpleLog('r3', { ...LANE_B, slug: 'c.t0-2', alias: 'c' }, ['right', 'right', 'right']));
    const archived = writeLog(runs, 'smoke/r4.jsonl', simpleLog('r4', { ...LANE_B, slug: 'd.t0-2', alias: 'd' }, ['wrong', 'right', 'right']));
    // The build reports its plan (a debug line) between listing the logs and reading them: archive one right then.
    const output = { ...createMemoryOutput(), debug: (text: string) => (text.startsWith('aggregate: plan') ? rmSync(archived, { force: true }) : undefined) };
    const update = await aggregate({ runsDir: runs, outDir: out, output });
    assert.is(update.ingest.filesRead, 1);
    assert.equal(update.ranking.map((r) => r.lane).sort(), ['a.t0-2', 'b.t0-2', 'c.t0-2']);
    assert.equal(await query(join(out, 'audition.duckdb'), 'SELECT file FROM files ORDER BY file'), [{ file: 'smoke/r1.jsonl' }, { file: 'smoke/r2.jsonl' }, { file: 'smoke/r3.jsonl' }]);
  } finally {
    cleanup();
  }
});

incremental('a database built by another audition version (or with other options) is recomputed, not reported up to date', async () => {
  const { runs, out, cleanup } = twoLaneRuns();
  try {
    await aggregate({ runsDir: runs, outDir: out });
    const { withDatabase } = await import('../../lib/duckdb.ts');
    await withDatabase(join(out, 'audition.duckdb'), {}, async (c) => {
      await c.run(`UPDATE meta SET value = '{"baselines":[],"audition":"0.0.1"}' WHERE key = 'options'`);
      await c.run('DELETE FROM model_ranking');
    });
    const next = await aggregate({ runsDir: runs, outDir: out });
    assert.not.ok(next.upToDate);
    assert.equal(next.ranking.map((r) => r.lane).sort(), ['a.t0-2', 'b.t0-2']);
  } finally {
    cleanup();
  }
});

incremental('a grown file is read again (only it); a vanished file keeps its rows; --rebuild starts over', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const out = join(runs, '_aggregated');
    const path = writeLog(runs, 'smoke/r1.jsonl', simpleLog('r1', LANE_A, ['right', 'wrong']).slice(0, -1));
    writeLog(runs, 'smoke/r2.jsonl', simpleLog('r2', LANE_B, ['wrong', 'right']));
    await aggregate({ runsDir: runs, outDir: out });
    const db = join(out, 'audition.duckdb');
    assert.equal(await query(db, "SELECT status FROM runs_summary WHERE run_id = 'r1'"), [{ status: 'open' }]);

    appendFileSync(path, JSON.stringify(stepOf('r1', LANE_A, 'q3', 0, 'right', 2)) + '\n' + JSON.stringify(runEnd('r1', { ok: 3, abstain: 0, error: 0 })) + '\n');
    const grown = await aggregate({ runsDir: runs, outDir: out });
    assert.is(grown.ingest.filesRead, 1, 'only the grown file is read');
    assert.is(grown.ingest.filesSkipped, 1);
    assert.equal(await query(db, "SELECT status, steps FROM runs_summary WHERE run_id = 'r1'"), [{ status: 'completed', steps: 3 }]);

    rmSync(join(runs, 'smoke', 'r2.jsonl'));
    const vanished = await aggregate({ runsDir: runs, outDir: out });
    assert.is(vanished.ingest.filesVanished, 1);
    assert.equal(await query(db, "SELECT count(*) AS n FROM steps WHERE run_id = 'r2'"), [{ n: 2 }], 'an archived log keeps its rows');
    assert.equal(await query(db, "SELECT present FROM files WHERE file = 'smoke/r2.jsonl'"), [{ present: false }]);

    const rebuilt = await aggregate({ runsDir: runs, outDir: out, rebuild: true });
    assert.ok(rebuilt.rebuilt);
    assert.is(rebuilt.ingest.filesRead, 1);
    assert.equal(await query(db, 'SELECT count(*) AS n FROM steps'), [{ n: 3 }], 'a rebuild holds only the logs that exist now');
  } finally {
    cleanup();
  }
});

incremental('an incremental build recomputes only the changed suite and summaries, and its tables equal a rebuild\'s', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const out = join(runs, '_aggregated');
    // Ten lanes of two models, then two more lanes of the second model: pairs of the first ten lanes and the first
    // model's best settings and dial effects are kept from the first build, the rest computed again.
    const sweep = makeBenchSweep({ files: 12, itemsPerRun: 24, replicates: 2 });
    for (const [i, run] of sweep.slice(0, 10).entries()) await writeRunLog(join(runs, run.stage, `${run.runId}.jsonl`), run, i);
    await aggregate({ runsDir: runs, outDir: out });
    for (const [i, run] of sweep.slice(10).entries()) await writeRunLog(join(runs, run.stage, `${run.runId}.jsonl`), { ...run, suite: sweep[0].suite }, 100 + i);
    const db = join(out, 'audition.duckdb');
    const tables = async () => Promise.all(['model_ranking', 'lane_pairs', 'best_settings', 'dial_effects', 'runs', 'run_metrics', 'runs_summary', 'item_outcomes', 'by_model_steps'].map((t) => query(db, `SELECT * FROM ${t} ORDER BY ALL`)));
    const updated = await aggregate({ runsDir: runs, outDir: out });
    assert.is(updated.ingest.filesRead, 2);
    const incrementalTables = await tables();
    await aggregate({ runsDir: runs, outDir: out, rebuild: true });
    // Sums over items may run in another order: equal up to the last bits of a double.
    const round = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v)));
    assert.equal(round(incrementalTables), round(await tables()));
  } finally {
    cleanup();
  }
});

incremental('a log rewritten with other outcomes and another run updates the per-run tables as a rebuild would', async () => {
  const { runs, out, cleanup } = twoLaneRuns();
  try {
    await aggregate({ runsDir: runs, outDir: out });
    // r1's log now holds other verdicts and a second run on another lane: r1's rows change, r3's appear.
    writeLog(runs, 'smoke/r1.jsonl', [...simpleLog('r1', LANE_A, ['wrong', 'wrong', 'wrong']), ...simpleLog('r3', LANE_B, ['right', 'right', 'right'])]);
    const db = join(out, 'audition.duckdb');
    const tables = async () => Promise.all(['runs', 'run_metrics', 'runs_summary', 'item_outcomes', 'by_model_steps', 'model_ranking', 'lane_pairs'].map((t) => query(db, `SELECT * FROM ${t} ORDER BY ALL`)));
    const updated = await aggregate({ runsDir: runs, outDir: out });
    assert.is(updated.ingest.filesRead, 1);
    const incrementalTables = await tables();
    await aggregate({ runsDir: runs, outDir: out, rebuild: true });
    assert.equal(incrementalTables, await tables());
    assert.equal(await query(db, "SELECT sum(total) AS correct FROM item_outcomes WHERE run_id = 'r1'"), [{ correct: 0 }]);
  } finally {
    cleanup();
  }
});

const records = suite('aggregate: records');

records('the latest line wins for a (run_id, item_id, replicate), whatever its status', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const out = join(dir, 'out');
    const start = runStart('r1', LANE_A);
    // A resumed run: q1 failed then succeeded; q2 succeeded, then (a re-run) was recorded wrong; a run_end between.
    writeLog(runs, 'exp/r1.jsonl', [
      start,
      stepOf('r1', LANE_A, 'q1', 0, 'error', 0),
      stepOf('r1', LANE_A, 'q2', 0, 'right', 1),
      runEnd('r1', { ok: 1, abstain: 0, error: 1 }),
      stepOf('r1', LANE_A, 'q1', 0, 'right', 0),
      stepOf('r1', LANE_A, 'q2', 0, 'wrong', 1),
      { ...stepOf('r1', LANE_A, 'q3', 0, 'abstain', 2), evaluation: { correct: true, score: 1, citations_evidence: null } },
    ]);
    const result = await aggregate({ runsDir: runs, outDir: out });
    assert.is(result.ingest.steps, 5);
    assert.is(result.ingest.superseded, 2);
    const db = join(out, 'audition.duckdb');
    assert.equal(await query(db, 'SELECT item_id, status, correct FROM steps ORDER BY item_id'), [
      { item_id: 'q1', status: 'ok', correct: true },
      { item_id: 'q2', status: 'ok', correct: false },
      { item_id: 'q3', status: 'abstain', correct: true },
    ]);
    assert.equal(await query(db, 'SELECT value FROM steps ORDER BY item_id'), [{ value: 1 }, { value: 0 }, { value: 0 }], 'an abstention scores 0 whatever its verdict says');
  } finally {
    cleanup();
  }
});

records('schema drift between files never fails the build', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const out = join(dir, 'out');
    writeLog(runs, 'a/r1.jsonl', simpleLog('r1', LANE_A, ['right', 'wrong']));
    const drifted = { ...stepOf('r2', LANE_B, 'q1', 0, 'right'), cluster: 5, new_field: { nested: [1, 2] }, tokens: { prompt: '120', completion: 'many' }, timing: { started_at: '2026-11-22T12:00:00+02:00', latency_ms: 'slow' } };
    const keyless = { ...stepOf('r2', LANE_B, 'q3', 0, 'right', 2), item_id: 17, replicate: '0' };
    writeLog(runs, 'b/r2.jsonl', [{ ...runStart('r2', LANE_B), settings: 'fast', provenance: 42 }, drifted, { ...stepOf('r2', LANE_B, 'q2', 0, 'wrong', 1), evaluation: { correct: 'yes', extra: true } }, keyless]);
    await aggregate({ runsDir: runs, outDir: out });
    assert.equal(await query(join(out, 'audition.duckdb'), 'SELECT line, reason FROM quarantine'), [{ line: 4, reason: 'step: item_id must be a string' }], 'only a field the record cannot do without makes a line unusable');
    const rows = await query(join(out, 'audition.duckdb'), "SELECT item_id, replicate, cluster, tokens_prompt, tokens_completion, latency_ms, started_at FROM steps WHERE run_id = 'r2' ORDER BY item_id");
    assert.is(rows[0]['item_id'], 'q1');
    assert.is(rows[0]['cluster'], '5');
    assert.is(rows[0]['tokens_completion'], 0, 'a count of another type reads as its default, not an error');
    assert.is(rows[0]['latency_ms'], 0);
    assert.is((rows[0]['started_at'] as Date).toISOString(), '2026-11-22T10:00:00.000Z', 'offsets are converted to UTC');
    assert.equal(await query(join(out, 'audition.duckdb'), "SELECT lane, replicates FROM runs WHERE run_id = 'r2'"), [{ lane: 'b.t0-2', replicates: 1 }], 'a string where the settings object was reads as no settings');
  } finally {
    cleanup();
  }
});

records('malformed and truncated lines go to quarantine with file, line and reason; rows + quarantined = lines', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const out = join(dir, 'out');
    const good = simpleLog('r1', LANE_A, ['right', 'wrong', 'right']);
    writeLog(runs, 'smoke/r1.jsonl', [
      good[0],
      good[1],
      '',
      '{"type":"step","run_id":"r1","item_id":"q9","replic',
      good[2],
      'not json at all',
      '[1, 2, 3]',
      { ...stepOf('r1', LANE_A, 'qx', 0, 'right'), item_id: null },
      { type: 'heartbeat', run_id: 'r1' },
      '   ',
      good[3],
      good[4],
    ]);
    writeLog(runs, 'smoke/r2.jsonl', simpleLog('r2', LANE_B, ['wrong']));
    const result = await aggregate({ runsDir: runs, outDir: out });
    const db = join(out, 'audition.duckdb');
    assert.equal(await query(db, 'SELECT file, line, reason FROM quarantine ORDER BY line'), [
      { file: 'smoke/r1.jsonl', line: 4, reason: 'not valid JSON (51 characters, cut off mid-line)' },
      { file: 'smoke/r1.jsonl', line: 6, reason: 'not valid JSON (15 characters)' },
      { file: 'smoke/r1.jsonl', line: 7, reason: 'not a JSON object (an array)' },
      { file: 'smoke/r1.jsonl', line: 8, reason: 'step: item_id must be a string' },
      { file: 'smoke/r1.jsonl', line: 9, reason: 'unknown record type "heartbeat" (expected run_start, step, run_end, run_resume)' },
    ]);
    assert.equal(result.ingest, { filesRead: 2, filesSkipped: 0, filesVanished: 0, lines: 13, records: 8, quarantined: 5, steps: 4, superseded: 0 });
    const files = await query(db, 'SELECT file, lines, records, quarantined FROM files ORDER BY file');
    for (const f of files) assert.is(f['lines'], Number(f['records']) + Number(f['quarantined']), `${String(f['file'])}: lines = records + quarantined`);
    assert.equal(await query(db, "SELECT count(*) AS n FROM steps WHERE run_id = 'r1'"), [{ n: 3 }]);
  } finally {
    cleanup();
  }
});

records('reads .jsonl.gz logs and skips _-prefixed folders', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const out = join(runs, '_aggregated');
    mkdirSync(join(runs, 'old'), { recursive: true });
    writeFileSync(join(runs, 'old', 'r1.jsonl.gz'), gzipSync(simpleLog('r1', LANE_A, ['right', 'right']).map((r) => JSON.stringify(r)).join('\n') + '\n'));
    writeLog(runs, '_archive/r9.jsonl', simpleLog('r9', LANE_B, ['wrong']));
    const result = await aggregate({ runsDir: runs, outDir: out });
    assert.is(result.ingest.filesRead, 1);
    assert.equal(await query(join(out, 'audition.duckdb'), 'SELECT DISTINCT run_id, file FROM steps'), [{ run_id: 'r1', file: 'old/r1.jsonl.gz' }]);
  } finally {
    cleanup();
  }
});

records('a damaged .jsonl.gz is read up to its damage, quarantined with its name and reason, and the build goes on', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const out = join(dir, 'out');
    const outcomes = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 'wrong' : 'right') as 'right' | 'wrong');
    writeLog(runs, 'smoke/good.jsonl', simpleLog('good', LANE_A, ['right', 'wrong']));
    writeGzipLog(runs, 'old/whole.jsonl.gz', simpleLog('whole', LANE_B, ['right', 'right']));
    // q1 logged twice (a resumed run): the later record, in the readable prefix, wins
    const [start, ...rest] = simpleLog('cut', LANE_A, outcomes);
    const cut = writeGzipLog(runs, 'old/cut.jsonl.gz', [start, rest[0], stepOf('cut', LANE_A, 'q1', 0, 'right'), ...rest.slice(1)], 'cut');
    writeGzipLog(runs, 'old/corrupt.jsonl.gz', simpleLog('corrupt', LANE_B, outcomes), 'corrupt');
    // cut inside the gzip header, or before it: DuckDB refuses these outright ("Input is not a GZIP stream")
    writeFileSync(join(runs, 'old', 'empty.jsonl.gz'), '');
    writeFileSync(join(runs, 'old', 'header.jsonl.gz'), gzipSync('{}\n').subarray(0, 5));
    // every line whole, the stream's trailer (CRC and size) cut off: DuckDB reads it without a word, gunzip does not
    const tail = gzipSync(simpleLog('tail', LANE_B, ['right', 'right']).map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(join(runs, 'old', 'tail.jsonl.gz'), tail.subarray(0, tail.length - 8));
    // what decompresses completely, by zlib's own account
    const complete = gunzipSync(readFileSync(cut), { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8').split('\n').length - 1;
    assert.ok(complete > 5 && complete < 61, `the cut leaves a prefix (${complete} lines)`);

    const result = await aggregate({ runsDir: runs, outDir: out });
    assert.is(result.ingest.filesRead, 7);
    const db = join(out, 'audition.duckdb');
    const damage = await query(db, "SELECT file, line, reason FROM quarantine WHERE reason LIKE '%gzip%' ORDER BY file");
    assert.is(damage.length, 5, 'one entry a damaged file');
    assert.equal(damage.slice(1), [
      { file: 'old/cut.jsonl.gz', line: complete + 1, reason: `gzip stream truncated after line ${complete}: unexpected end of file` },
      { file: 'old/empty.jsonl.gz', line: 1, reason: 'gzip stream truncated after line 0: unexpected end of file' },
      { file: 'old/header.jsonl.gz', line: 1, reason: 'gzip stream truncated after line 0: unexpected end of file' },
      { file: 'old/tail.jsonl.gz', line: 5, reason: 'gzip stream truncated after line 4: unexpected end of file' },
    ]);
    assert.equal(await query(db, "SELECT count(*) AS n FROM steps WHERE run_id = 'tail'"), [{ n: 2 }], 'its whole lines are kept');
    assert.is(damage[0]['file'], 'old/corrupt.jsonl.gz');
    assert.match(String(damage[0]['reason']), /^corrupt gzip data after line \d+: /);
    assert.equal(await query(db, "SELECT count(*) AS n FROM steps WHERE run_id = 'cut'"), [{ n: complete - 2 }], 'every complete step line of the cut log is kept');
    assert.equal(await query(db, "SELECT correct FROM steps WHERE run_id = 'cut' AND item_id = 'q1'"), [{ correct: true }]);
    assert.equal(await query(db, "SELECT run_id, count(*) AS n FROM steps WHERE run_id IN ('good', 'whole') GROUP BY run_id ORDER BY run_id"), [{ run_id: 'good', n: 2 }, { run_id: 'whole', n: 2 }], 'other logs are unaffected');
    assert.equal(await query(db, "SELECT count(*) AS n FROM quarantine WHERE file IN ('smoke/good.jsonl', 'old/whole.jsonl.gz', 'old/cut.jsonl.gz')"), [{ n: 1 }]);
    const files = await query(db, 'SELECT file, lines, records, quarantined FROM files ORDER BY file');
    for (const f of files) assert.is(f['lines'], Number(f['records']) + Number(f['quarantined']), `${String(f['file'])}: lines = records + quarantined`);
    assert.equal(readdirSync(out).filter((name) => name.startsWith('.audition-salvage-')), [], 'the readable prefixes are removed');

    // an update reads the damaged file again once it changes, the same way; its scratch copy goes under the folder a
    // command exiting at once removes (a second Ctrl-C), and is gone after
    appendFileSync(cut, 'x');
    const registered: string[] = [];
    const tempFiles = new TempFiles();
    const add = tempFiles.add.bind(tempFiles);
    tempFiles.add = (path: string) => (registered.push(path), add(path));
    const update = await aggregate({ runsDir: runs, outDir: out, tempFiles });
    assert.equal(registered, [`${db}.tmp`]);
    assert.equal(readdirSync(out).filter((name) => name.endsWith('.tmp') || name.startsWith('.audition-salvage-')), [], 'nothing is left behind');
    assert.is(update.ingest.filesRead, 1);
    assert.equal(await query(db, "SELECT line, reason FROM quarantine WHERE file = 'old/cut.jsonl.gz'"), [{ line: complete + 1, reason: `gzip stream truncated after line ${complete}: unexpected end of file` }]);
  } finally {
    cleanup();
  }
});

records('a step logged in two files keeps the record of the newer file', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const out = join(dir, 'out');
    const older = writeLog(runs, 'a/r1.jsonl', simpleLog('r1', LANE_A, ['wrong', 'wrong']));
    writeLog(runs, 'b/r1-copy.jsonl', simpleLog('r1', LANE_A, ['right', 'right']));
    utimesSync(older, new Date('2026-01-01'), new Date('2026-01-01'));
    const result = await aggregate({ runsDir: runs, outDir: out });
    assert.is(result.ingest.superseded, 2);
    assert.equal(await query(join(out, 'audition.duckdb'), 'SELECT DISTINCT file, correct FROM steps'), [{ file: 'b/r1-copy.jsonl', correct: true }]);
  } finally {
    cleanup();
  }
});

records('a copy read by a later build supersedes the older file too; per-file live counts match the records', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const out = join(dir, 'out');
    const db = join(out, 'audition.duckdb');
    const older = writeLog(runs, 'a/r1.jsonl', simpleLog('r1', LANE_A, ['wrong', 'wrong']));
    writeLog(runs, 'a/r2.jsonl', simpleLog('r2', LANE_B, ['right', 'wrong']));
    utimesSync(older, new Date('2026-01-01'), new Date('2026-01-01'));
    await aggregate({ runsDir: runs, outDir: out });
    writeLog(runs, 'b/r1-copy.jsonl', simpleLog('r1', LANE_A, ['right', 'right']));
    const update = await aggregate({ runsDir: runs, outDir: out });
    assert.not.ok(update.rebuilt);
    assert.equal(await query(db, "SELECT DISTINCT file, correct FROM steps WHERE run_id = 'r1'"), [{ file: 'b/r1-copy.jsonl', correct: true }]);
    const live = await query(db, 'SELECT file, count(*) AS n FROM records WHERE type = \'step\' AND NOT superseded GROUP BY file ORDER BY file');
    assert.equal(live, [{ file: 'a/r2.jsonl', n: 2 }, { file: 'b/r1-copy.jsonl', n: 2 }]);
    assert.equal(await query(db, 'SELECT file, steps - superseded AS n FROM files WHERE steps > superseded ORDER BY file'), live);
  } finally {
    cleanup();
  }
});

incremental.run();
records.run();
