// The run-log contract has one owner (core/record.ts): `audition status`, the TypeScript reader and `audition
// aggregate` must agree, line by line, on which lines are usable, why the others are not, and which record of a
// step is the latest.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregate } from '../../analysis/aggregate/build.ts';
import { summarizeProgress } from '../../analysis/progress.ts';
import { readRunLog } from '../../pipelines/runlog/reader.ts';
import { LANE_A, query, simpleLog, stepOf, writeGzipLog, writeLog } from '../aggregate/fixtures.ts';
import { runEnd } from '../helpers/records.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Good lines, lines every reader must refuse, and lines whose optional fields are wrong but which stay usable. */
function mixedLog(runId: string): (object | string)[] {
  const [start, first, second, , end] = simpleLog(runId, LANE_A, ['right', 'wrong', 'right']) as Record<string, unknown>[];
  const ok = (item: string, replicate: number, extra: Record<string, unknown> = {}): object => ({ ...stepOf(runId, LANE_A, item, replicate, 'right'), ...extra });
  return [
    start,
    first,
    second,
    '{"type":"step","run_id":"' + runId + '","item_id":"q9","replic',
    'not json',
    '[1, 2]',
    '"a string"',
    { run_id: runId, item_id: 'q1' },
    { type: 7, run_id: runId },
    { type: 'heartbeat', run_id: runId },
    ok('q4', 0, { item_id: 17 }),
    ok('q4', 0, { replicate: '0' }),
    ok('q4', 0, { replicate: 1.5 }),
    ok('q4', 0, { replicate: -1 }),
    ok('q4', 0, { status: 'maybe' }),
    ok('q4', 0, { status: 5 }),
    ok('q4', 0, { run_id: null }),
    ok('q5', 2.0),
    ok('q6', 0, { tokens: 'lots', cost_usd: -1, cluster: 9, evaluation: 'oops', timing: { latency_ms: 'slow' } }),
    ok('q7', 0, { error: { kind: 'quota_from_the_future', message: 42 }, status: 'error' }),
    { ...stepOf(runId, LANE_A, 'q1', 0, 'wrong'), attempts: 3 },
    { ...runEnd(runId, { ok: 3, abstain: 0, error: 0 }), status: 'done' },
    { ...runEnd(runId, { ok: 3, abstain: 0, error: 0 }), ended_at: undefined },
    { type: 'run_resume', run_id: runId, resumed_at: '2026-12-03T10:00:00.000Z', resumed_by: 'test', settings: { concurrency: 2 }, overrides: { concurrency: { from: 8, to: 2 } }, spent_usd: 0.01, provenance: null },
    { type: 'run_resume', run_id: runId, resumed_at: '2026-12-03T11:00:00.000Z', settings: 'all of them', spent_usd: -4 },
    { type: 'run_resume', run_id: runId, settings: {} },
    { type: 'run_resume', run_id: runId, resumed_at: 'yesterday' },
    end,
  ];
}

function badStartLog(runId: string, change: Record<string, unknown>): object[] {
  const [start, ...rest] = simpleLog(runId, LANE_A, ['right']) as Record<string, unknown>[];
  return [{ ...start, ...change }, ...rest];
}

const test = suite('the run-log contract');

test('status, the reader and aggregate agree on every line of good and bad logs', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const logs = {
      'mixed/r1.jsonl': mixedLog('r1'),
      'mixed/r2.jsonl': badStartLog('r2', { schema: 3 }),
      'mixed/r3.jsonl': badStartLog('r3', { lane: { alias: 'no slug' } }),
      'mixed/r4.jsonl': badStartLog('r4', { suite: { name: 'demo', path: 'x.jsonl', n_items: 1 } }),
      'mixed/r5.jsonl': badStartLog('r5', { lane: 'a.t0-2' }),
      'mixed/r6.jsonl': badStartLog('r6', { created_at: 20261203 }),
      'mixed/r7.jsonl': simpleLog('r7', LANE_A, ['right', 'error']),
    };
    for (const [rel, lines] of Object.entries(logs)) writeLog(runs, rel, lines);
    await aggregate({ runsDir: runs, outDir: join(dir, 'out') });
    const db = join(dir, 'out', 'audition.duckdb');
    const quarantined = await query(db, 'SELECT file, line, reason FROM quarantine ORDER BY file, line');
    const kept = await query(db, 'SELECT file, count(*)::INTEGER AS n FROM records GROUP BY file ORDER BY file');
    const latest = await query(db, "SELECT run_id, item_id, replicate, status, attempts FROM records WHERE type = 'step' AND NOT superseded ORDER BY run_id, item_id, replicate");

    const readerProblems: { file: string; line: number; reason: string }[] = [];
    const readerKept: { file: string; n: number }[] = [];
    const readerLatest: Record<string, unknown>[] = [];
    for (const rel of Object.keys(logs)) {
      const log = await readRunLog(join(runs, rel));
      readerProblems.push(...log.problems.map((p) => ({ file: rel, line: p.line, reason: p.reason })));
      readerKept.push({ file: rel, n: log.lines - log.problems.length });
      for (const s of log.steps) readerLatest.push({ run_id: s.run_id, item_id: s.item_id, replicate: s.replicate, status: s.status, attempts: s.attempts });

      const status = spawnSync(process.execPath, ['bin/audition.mjs', 'status', join(runs, rel), '--json'], { cwd: ROOT, encoding: 'utf8' });
      assert.is(status.status, 0, status.stderr);
      const progress = JSON.parse(status.stdout) as { problem_lines: number; ok: number; errors: number };
      assert.is(progress.problem_lines, log.problems.length, `${rel}: status counts the reader's unusable lines`);
      assert.is(progress.ok + progress.errors + (progress as unknown as { abstain: number }).abstain, log.steps.length, `${rel}: status counts the reader's latest steps`);
    }
    readerLatest.sort((a, b) => String(a['run_id']).localeCompare(String(b['run_id'])) || String(a['item_id']).localeCompare(String(b['item_id'])) || Number(a['replicate']) - Number(b['replicate']));

    assert.equal(quarantined, readerProblems, 'the same lines are unusable, for the same reason');
    assert.equal(kept, readerKept, 'the same number of lines are kept per file');
    assert.equal(latest, readerLatest, 'the same record of each step is the latest');
    assert.ok(quarantined.length >= 20, `${quarantined.length} bad lines covered`);
    assert.ok(quarantined.some((q) => q['reason'] === 'run_start: schema must be an integer from 1 to 2'));
    assert.ok(quarantined.some((q) => q['reason'] === 'run_resume: resumed_at must be a string'), JSON.stringify(quarantined));
  } finally {
    cleanup();
  }
});

test('status, the reader and aggregate agree on a damaged .jsonl.gz: its readable lines, and where and why it stops', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const lines = [...mixedLog('r1'), ...simpleLog('r1', LANE_A, ['right', 'wrong', 'right', 'right', 'wrong', 'right', 'right']).slice(1)];
    const rels = ['gz/cut.jsonl.gz', 'gz/corrupt.jsonl.gz'];
    writeGzipLog(runs, rels[0], lines, 'cut');
    writeGzipLog(runs, rels[1], lines, 'corrupt');
    await aggregate({ runsDir: runs, outDir: join(dir, 'out') });
    const db = join(dir, 'out', 'audition.duckdb');
    const quarantined = await query(db, 'SELECT file, line, reason FROM quarantine ORDER BY file, line');
    const kept = await query(db, 'SELECT file, count(*)::INTEGER AS n FROM records GROUP BY file ORDER BY file');
    const readerProblems: { file: string; line: number; reason: string }[] = [];
    const readerKept: { file: string; n: number }[] = [];
    for (const rel of [...rels].sort()) {
      const log = await readRunLog(join(runs, rel));
      readerProblems.push(...log.problems.map((p) => ({ file: rel, line: p.line, reason: p.reason })));
      readerKept.push({ file: rel, n: log.lines - log.problems.length });
      const status = spawnSync(process.execPath, ['bin/audition.mjs', 'status', join(runs, rel), '--json'], { cwd: ROOT, encoding: 'utf8' });
      assert.is(status.status, 0, status.stderr);
      assert.is((JSON.parse(status.stdout) as { problem_lines: number }).problem_lines, log.problems.length, `${rel}: status counts the damage as a problem line`);
    }
    assert.equal(quarantined, readerProblems, 'the same lines are unusable, and the damage is reported at the same line in the same words');
    assert.equal(kept, readerKept.filter((k) => k.n > 0), 'the same number of lines are kept per file');
    assert.ok(quarantined.some((q) => /^gzip stream truncated after line \d+: unexpected end of file$/.test(String(q['reason']))));
    assert.ok(quarantined.some((q) => String(q['reason']).startsWith('corrupt gzip data after line ')));
  } finally {
    cleanup();
  }
});

test('status and aggregate score a run on the same metric, at the same rate (core/metric.ts)', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const runs = join(dir, 'runs');
    const evidence = (credited: boolean | null, correct: boolean) => ({ correct, score: correct ? 1 : 0, citations_evidence: credited === null ? null : { coverage: 0.5, witness_pass: credited, credited, reasons: [] } });
    const withEvaluation = (runId: string, item: string, outcome: 'right' | 'wrong' | 'abstain' | 'error', evaluation: object | null) => ({ ...stepOf(runId, LANE_A, item, 0, outcome), evaluation });
    const logs: Record<string, object[]> = {
      // credited, with a closed-book item (credited null: counts as correct), an abstention and an error
      'm/credited.jsonl': [simpleLog('c', LANE_A, [])[0], withEvaluation('c', 'q1', 'right', evidence(true, true)), withEvaluation('c', 'q2', 'right', evidence(false, true)), withEvaluation('c', 'q3', 'right', evidence(null, true)), withEvaluation('c', 'q4', 'abstain', evidence(null, false)), withEvaluation('c', 'q5', 'error', null)],
      'm/correct.jsonl': simpleLog('k', LANE_A, ['right', 'wrong', 'right', 'abstain', 'error']),
      'm/score.jsonl': [simpleLog('s', LANE_A, [])[0], withEvaluation('s', 'q1', 'right', { correct: null, score: 0.75, citations_evidence: null }), withEvaluation('s', 'q2', 'right', { correct: null, score: 0.25, citations_evidence: null }), withEvaluation('s', 'q3', 'abstain', { correct: null, score: null, citations_evidence: null })],
    };
    for (const [rel, lines] of Object.entries(logs)) writeLog(runs, rel, lines);
    await aggregate({ runsDir: runs, outDir: join(dir, 'out') });
    const sql = await query(join(dir, 'out', 'audition.duckdb'), 'SELECT run_id, metric, rate FROM runs_summary ORDER BY run_id');
    const live = [];
    for (const rel of Object.keys(logs)) {
      const p = summarizeProgress(await readRunLog(join(runs, rel)), new Date());
      live.push({ run_id: p.run_id, metric: p.metric, rate: p.rate });
    }
    live.sort((a, b) => a.run_id.localeCompare(b.run_id));
    assert.equal(sql, live);
    assert.equal(live.map((r) => [r.metric, r.rate]), [['credited', 2 / 4], ['correct', 2 / 4], ['score', (0.75 + 0.25 + 0) / 3]], 'hand-worked: closed-book counts as correct, abstain 0, errors left out');
  } finally {
    cleanup();
  }
});

test.run();
