// Benchmark of `audition aggregate` on 1,000,000 synthetic steps (~200 logs of 5,000 steps, ~400-character
// responses), against two baselines measured in the same run: a bare DuckDB summary (one explicit-schema
// read_json, aggregated directly) and a plain Node readline + JSON.parse summary. A third reference, not a
// target, is the floor of any build that keeps the steps: the ingest's columns parsed and written once as
// Parquet. Each phase runs in its own process so its peak RSS is its own. The logs live in
// $TMPDIR/audition-bench-agg and are reused.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportBench } from './report.ts';
import { RUN_LOG_SCHEMA } from '../core/record.ts';
import { makeBenchSweep, makeLane, makeSuite, writeRunLog, type SyntheticRun } from './synthetic.ts';

const FILES = 200;
const DATA = join(tmpdir(), 'audition-bench-agg');
const RUNS = join(DATA, 'runs');
const OUT = join(RUNS, '_aggregated');
const MARKER = join(DATA, 'generated.json');
// the logs are kept between runs; a change of the run-log contract (or of this spec) writes them again
const SPEC = JSON.stringify({ version: 2, schema: RUN_LOG_SCHEMA, files: FILES, items: 500, replicates: 10 });
const PHASES = fileURLToPath(new URL('./aggregate-phases.ts', import.meta.url));

const log = (text: string) => process.stderr.write(text + '\n');

async function ensureLogs(): Promise<void> {
  if (existsSync(MARKER) && readFileSync(MARKER, 'utf8') === SPEC) return;
  log(`generating ${FILES} logs of 5,000 steps in ${RUNS} …`);
  rmSync(DATA, { recursive: true, force: true });
  const runs = makeBenchSweep({ files: FILES });
  let next = 0;
  await Promise.all([0, 1].map(async () => {
    while (next < runs.length) {
      const i = next++;
      await writeRunLog(join(RUNS, runs[i].stage, `${runs[i].runId}.jsonl`), runs[i], 1000 + i);
    }
  }));
  writeFileSync(MARKER, SPEC);
}

interface PhaseResult {
  phase: string;
  seconds: number;
  rssMb: number;
  steps: number;
  [key: string]: number | string | boolean;
}

function runPhase(phase: string): PhaseResult {
  const child = spawnSync(process.execPath, ['--import', 'tsx', PHASES, phase, RUNS, OUT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) throw new Error(`phase ${phase} failed (exit ${child.status})`);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as PhaseResult;
  log(`${phase.padEnd(12)} ${result.seconds.toFixed(2).padStart(6)} s  ${Math.round(result.steps / result.seconds).toLocaleString('en-US').padStart(10)} steps/s  peak RSS ${Math.round(result.rssMb)} MB${Object.keys(result).some((k) => k.startsWith('t_')) ? `  (${Object.entries(result).filter(([k]) => k.startsWith('t_')).map(([k, v]) => `${k.slice(2)} ${String(v)}`).join(', ')})` : ''}`);
  return result;
}

/** One more run of 5,000 steps in a fresh stage folder: the file an incremental aggregate adds. */
async function addOneLog(): Promise<string> {
  const run: SyntheticRun = {
    runId: 'bench-extra', stage: 'extra', lane: makeLane('alpha', 'sim-alpha', { temperature: 0.7 }), settings: { cards_budget: 3, sc: 1 }, suite: makeSuite('mcq-a', 500, { seed: 11 }),
    replicates: 10, skill: 0.9, errorRate: 0.02, abstainRate: 0.2, metric: 'credited', createdAt: new Date(Date.UTC(2026, 11, 1)).toISOString(), responseChars: 400,
  };
  const path = join(RUNS, 'extra', 'bench-extra.jsonl');
  await writeRunLog(path, run, 424242);
  return path;
}

async function main(): Promise<void> {
  await ensureLogs();
  rmSync(join(RUNS, 'extra'), { recursive: true, force: true });
  // Interleaved and repeated: the machine is shared, so the best of two of each is compared.
  const bare: PhaseResult[] = [];
  const node: PhaseResult[] = [];
  const full: PhaseResult[] = [];
  const floor: PhaseResult[] = [];
  for (let round = 0; round < 2; round++) {
    bare.push(runPhase('bare-duckdb'));
    full.push(runPhase('full'));
    node.push(runPhase('plain-node'));
    floor.push(runPhase('steps-parquet'));
  }
  const nothingNew = runPhase('nothing-new');
  const extra = await addOneLog();
  const incremental = runPhase('incremental');
  rmSync(join(RUNS, 'extra'), { recursive: true, force: true });
  void extra;

  const best = (rs: PhaseResult[]) => rs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const b = best(bare);
  const n = best(node);
  const f = best(full);
  const floorBest = best(floor);
  const peak = Math.max(...full.map((r) => r.rssMb), incremental.rssMb, nothingNew.rssMb);
  const figures = {
    steps: f.steps,
    bare_duckdb_s: Number(b.seconds.toFixed(3)),
    bare_duckdb_rss_mb: Math.round(b.rssMb),
    plain_node_s: Number(n.seconds.toFixed(3)),
    plain_node_rss_mb: Math.round(n.rssMb),
    steps_parquet_floor_s: Number(floorBest.seconds.toFixed(3)),
    floor_vs_bare: Number((floorBest.seconds / b.seconds).toFixed(2)),
    full_build_s: Number(f.seconds.toFixed(3)),
    full_build_steps_per_s: Math.round(f.steps / f.seconds),
    full_build_rss_mb: Math.round(Math.max(...full.map((r) => r.rssMb))),
    full_vs_bare: Number((f.seconds / b.seconds).toFixed(2)),
    node_vs_full: Number((n.seconds / f.seconds).toFixed(2)),
    incremental_5k_s: Number(incremental.seconds.toFixed(3)),
    incremental_rss_mb: Math.round(incremental.rssMb),
    nothing_new_s: Number(nothingNew.seconds.toFixed(3)),
    nothing_new_rss_mb: Math.round(nothingNew.rssMb),
  };
  const targets = {
    full_vs_bare: '≤ 3',
    node_vs_full: '≥ 2',
    peak_rss_mb: '≤ 1024',
    incremental_5k_s: '≤ 1',
    nothing_new_s: '≤ 0.5',
  };
  const checks = {
    full_vs_bare: figures.full_vs_bare <= 3,
    node_vs_full: figures.node_vs_full >= 2,
    peak_rss_mb: peak <= 1024,
    incremental_5k_s: figures.incremental_5k_s <= 1,
    nothing_new_s: figures.nothing_new_s <= 0.5,
  };
  for (const [name, ok] of Object.entries(checks)) log(`${ok ? 'met   ' : 'MISSED'} ${name} ${targets[name as keyof typeof targets]}`);
  reportBench('aggregate', { ...figures, peak_rss_mb: Math.round(peak) }, targets, Object.values(checks).every(Boolean));
}

await main();
