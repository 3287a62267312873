import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { LANE_A, LANE_B, simpleLog, writeLog } from './fixtures.ts';

const cli = suite('audition aggregate / sql / status');

function setUp(): { dir: string; runs: string; cleanup: () => void } {
  const { dir, cleanup } = makeTempDir();
  const runs = join(dir, 'runs');
  writeLog(runs, 'smoke/r1.jsonl', simpleLog('r1', LANE_A, ['right', 'right', 'wrong', 'right', 'error']));
  writeLog(runs, 'smoke/r2.jsonl', [...simpleLog('r2', LANE_B, ['wrong', 'wrong', 'right', 'abstain']).slice(0, -1), '{"type":"step","run_id":"r2","ite']);
  return { dir, runs, cleanup };
}

cli('aggregate prints the ranking on stdout, counts and paths on stderr; --json gives NDJSON', () => {
  const { runs, cleanup } = setUp();
  try {
    const first = runCli(['aggregate', '--runs-dir', runs]);
    assert.is(first.code, 0, first.stderr);
    assert.match(first.stdout, /suite\s+metric\s+rank\s+condition\s+n\s+clusters\s+rate\s+95% CI/);
    assert.match(first.stdout, /a\.t0-2/);
    assert.match(first.stderr, /read 2 logs \(0 unchanged, skipped; 0 vanished, rows kept\): 13 lines = 12 records \+ 1 quarantined/);
    assert.match(first.stderr, /1 lines quarantined/);
    assert.match(first.stderr, /database: .*_aggregated\/audition\.duckdb/);
    assert.match(first.stderr, /insights: .*plots\/INSIGHTS\.md/);
    const again = runCli(['aggregate', '--runs-dir', runs, '--json']);
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stderr, /up to date: 2 logs unchanged/);
    const rows = again.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(rows.map((r) => r['lane']).sort(), ['a.t0-2', 'b.t0-2']);
    assert.is(rows.find((r) => r['lane'] === 'a.t0-2')?.['rate'], 0.75);
  } finally {
    cleanup();
  }
});

cli('aggregate prints a row per condition: runs of one lane with other task settings are not pooled', () => {
  const { runs, cleanup } = setUp();
  try {
    const [start, ...rest] = simpleLog('r3', LANE_A, ['wrong', 'wrong', 'wrong', 'right']);
    writeLog(runs, 'smoke/r3.jsonl', [{ ...start, settings: { replicates: 1, task: { kind: 'mcq', sc: 3, cards_budget: 6 } } }, ...rest]);
    const printed = runCli(['aggregate', '--runs-dir', runs]);
    assert.is(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /a\.t0-2 · sc3 /);
    const rows = runCli(['aggregate', '--runs-dir', runs, '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(rows.map((r) => [r['condition'], r['task_settings'], r['rate']]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))), [['a.t0-2', '{}', 0.75], ['a.t0-2 · sc3', '{"sc":3}', 0.25], ['b.t0-2', '{}', 0.25]]);
  } finally {
    cleanup();
  }
});

cli('sql runs SQL text or a named query with --param, as a table, --json or --csv; errors name the fix', () => {
  const { runs, cleanup } = setUp();
  try {
    const missing = runCli(['sql', '--runs-dir', runs, 'SELECT 1']);
    assert.is(missing.code, 2);
    assert.match(missing.stderr, /no aggregated database.*\nhint: run 'audition aggregate' first/);
    assert.is(runCli(['aggregate', '--runs-dir', runs]).code, 0);
    const text = runCli(['sql', '--runs-dir', runs, 'SELECT lane, n, rank FROM model_ranking ORDER BY lane']);
    assert.is(text.code, 0, text.stderr);
    assert.match(text.stdout, /lane\s+n\s+rank\n/);
    const json = runCli(['sql', '--runs-dir', runs, 'progress', '--param', 'run_id=r1', '--json']);
    assert.is(json.code, 0, json.stderr);
    assert.equal(json.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { status: string; steps: number })).map((r) => [r.status, r.steps]), [['error', 1], ['ok', 4]]);
    const csv = runCli(['sql', '--runs-dir', runs, 'SELECT file, line, reason FROM quarantine', '--csv']);
    assert.is(csv.stdout, 'file,line,reason\nsmoke/r2.jsonl,6,"not valid JSON (33 characters, cut off mid-line)"\n');
    const needs = runCli(['sql', '--runs-dir', runs, 'progress']);
    assert.is(needs.code, 2);
    assert.match(needs.stderr, /progress needs --param run_id=VALUE/);
    const bad = runCli(['sql', '--runs-dir', runs, 'SELECT nope FROM steps']);
    assert.is(bad.code, 2);
    assert.match(bad.stderr, /query failed/);
  } finally {
    cleanup();
  }
});

cli('sql --list shows the queries a user runs by name, --tables what to query with SQL text; build statements are refused', () => {
  const { runs, cleanup } = setUp();
  try {
    assert.is(runCli(['aggregate', '--runs-dir', runs]).code, 0);
    const list = runCli(['sql', '--runs-dir', runs, '--list']);
    assert.is(list.code, 0, list.stderr);
    assert.match(list.stdout, /^name\s+params\s+description\n/);
    assert.match(list.stdout, /^progress\s+run_id\s+one run's steps by status/m);
    assert.match(list.stdout, /^recent_errors\s+limit=20 lane=NULL\s+the latest error steps/m);
    for (const name of ['lane_coverage', 'lane_generations', 'error_kinds']) assert.match(list.stdout, new RegExp(`^${name}\\s`, 'm'));
    assert.not.match(list.stdout, /ingest_records|supersede|forget_|schema|^steps\s/m, 'the build\'s own SQL is not listed');
    const json = runCli(['sql', '--runs-dir', runs, '--list', '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    assert.equal(json.find((r) => r['name'] === 'lane_coverage'), { name: 'lane_coverage', params: 'stage=NULL', description: 'per lane, steps planned (total), completed (ok or abstain), error and pending, over its runs (optionally one stage).' });
    const tables = runCli(['sql', '--runs-dir', runs, '--tables']);
    for (const name of ['steps', 'runs_summary', 'model_ranking', 'lane_pairs', 'best_settings', 'dial_effects', 'catalog', 'quarantine']) assert.match(tables.stdout, new RegExp(`^${name}\\s`, 'm'));
    assert.not.match(tables.stdout, /^(ingest_records|progress)\s/m);
    const statement = runCli(['sql', '--runs-dir', runs, 'forget_records', '--param', 'files=smoke/r1.jsonl']);
    assert.is(statement.code, 2);
    assert.match(statement.stderr, /forget_records is one of the aggregate build's own statements \(sql\/build\/forget_records\.sql\), not a query to run\nhint: run 'audition sql --list'/);
    const view = runCli(['sql', '--runs-dir', runs, 'steps']);
    assert.is(view.code, 2);
    assert.match(view.stderr, /steps is a view the aggregate build keeps.*audition sql 'SELECT \* FROM steps LIMIT 20'/);
    const unknown = runCli(['sql', '--runs-dir', runs, 'nope']);
    assert.is(unknown.code, 2);
    assert.match(unknown.stderr, /no named query "nope".*\nhint: run 'audition sql --list'/);
    assert.match(runCli(['sql', '--help']).stdout, /--list\s+list the named queries/);
  } finally {
    cleanup();
  }
});

cli("status shows a run's progress from its log alone", () => {
  const { runs, cleanup } = setUp();
  try {
    const status = runCli(['status', 'r2', '--runs-dir', runs]);
    assert.is(status.code, 0, status.stderr);
    assert.match(status.stdout, /progress\s+4 of 4 done \(100%\), 0 errors, 0 pending/);
    assert.match(status.stdout, /r2 \(stopped without run_end \(resume with: audition run --resume r2 --suite /, 'no run_end after the last step and no writer: stopped');
    assert.match(status.stdout, /1 unusable lines/);
    const json = runCli(['status', 'r1', '--runs-dir', runs, '--json']);
    const p = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.equal([p['status'], p['planned'], p['done'], p['errors'], p['rate']], ['completed', 5, 4, 1, 0.75]);
    const unknown = runCli(['status', 'nope', '--runs-dir', runs]);
    assert.is(unknown.code, 2);
    assert.match(unknown.stderr, /no run log for run nope under /);
  } finally {
    cleanup();
  }
});

cli.run();
