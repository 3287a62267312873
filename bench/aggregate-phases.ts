// One measured phase of the aggregate benchmark, run in its own process so its peak RSS is its own:
//   node --import tsx bench/aggregate-phases.ts PHASE RUNS_DIR OUT_DIR
// Prints one JSON line: {"phase", "seconds", "rssMb", "steps", …}.

import { createInterface } from 'node:readline';
import { createReadStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { listValue } from '@duckdb/node-api';
import { aggregate } from '../analysis/aggregate/build.ts';
import { openDuckDB, quotedString, withConnection } from '../lib/duckdb.ts';
import { loadQuery, runNamed } from '../analysis/queries.ts';
import { listRunLogFiles } from '../pipelines/runlog/discover.ts';
import { peakRssMb } from './report.ts';

/**
 * The bare DuckDB baseline: one read_json with an explicit column schema, aggregated straight into the per-lane
 * summary users otherwise compute by hand (steps by status, credited and correct rates, tokens, cost, latency).
 */
const BARE_SUMMARY = `
SELECT lane, count(*) AS steps,
  count(*) FILTER (WHERE status = 'ok') AS ok, count(*) FILTER (WHERE status = 'abstain') AS abstain, count(*) FILTER (WHERE status = 'error') AS errors,
  avg(CASE WHEN status = 'abstain' THEN 0 ELSE coalesce(evaluation.citations_evidence.credited::INTEGER, 0) END) FILTER (WHERE status <> 'error') AS credited_rate,
  avg(CASE WHEN status = 'abstain' THEN 0 ELSE coalesce(evaluation.correct::INTEGER, 0) END) FILTER (WHERE status <> 'error') AS correct_rate,
  sum(tokens.prompt) AS prompt, sum(tokens.completion) AS completion, sum(tokens.cached_read) AS cached_read,
  sum(cost_usd) AS cost_usd, avg(timing.latency_ms) AS latency_ms
FROM read_json($files, format = 'newline_delimited', columns = {
  type: 'VARCHAR', lane: 'VARCHAR', status: 'VARCHAR',
  evaluation: 'STRUCT(correct BOOLEAN, citations_evidence STRUCT(credited BOOLEAN))',
  tokens: 'STRUCT(prompt BIGINT, completion BIGINT, cached_read BIGINT)', timing: 'STRUCT(latency_ms DOUBLE)', cost_usd: 'DOUBLE'
})
WHERE type = 'step'
GROUP BY lane`;

interface LaneSummary {
  steps: number;
  ok: number;
  abstain: number;
  errors: number;
  scored: number;
  credited: number;
  correct: number;
  prompt: number;
  completion: number;
  cachedRead: number;
  cost: number;
  latency: number;
}

/** The plain Node baseline: readline + JSON.parse over every log, the same per-lane summary. */
async function summarizeWithNode(files: readonly string[]): Promise<number> {
  const lanes = new Map<string, LaneSummary>();
  let steps = 0;
  for (const file of files) {
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      if (line === '') continue;
      let r: { type?: string; lane?: string; status?: string; evaluation?: { correct?: boolean; citations_evidence?: { credited?: boolean } } | null; tokens?: { prompt?: number; completion?: number; cached_read?: number }; cost_usd?: number; timing?: { latency_ms?: number } };
      try {
        r = JSON.parse(line) as typeof r;
      } catch {
        continue;
      }
      if (r.type !== 'step' || typeof r.lane !== 'string') continue;
      steps++;
      let s = lanes.get(r.lane);
      if (s === undefined) lanes.set(r.lane, (s = { steps: 0, ok: 0, abstain: 0, errors: 0, scored: 0, credited: 0, correct: 0, prompt: 0, completion: 0, cachedRead: 0, cost: 0, latency: 0 }));
      s.steps++;
      if (r.status === 'ok') s.ok++;
      else if (r.status === 'abstain') s.abstain++;
      else s.errors++;
      if (r.status !== 'error') {
        s.scored++;
        if (r.status === 'ok' && r.evaluation?.citations_evidence?.credited === true) s.credited++;
        if (r.status === 'ok' && r.evaluation?.correct === true) s.correct++;
      }
      s.prompt += r.tokens?.prompt ?? 0;
      s.completion += r.tokens?.completion ?? 0;
      s.cachedRead += r.tokens?.cached_read ?? 0;
      s.cost += r.cost_usd ?? 0;
      s.latency += r.timing?.latency_ms ?? 0;
    }
  }
  return steps;
}

async function main(): Promise<void> {
  const [phase, runsDir, outDir] = process.argv.slice(2);
  const files = await listRunLogFiles(runsDir);
  const started = performance.now();
  const facts: Record<string, number | string | boolean> = {};
  switch (phase) {
    case 'bare-duckdb': {
      const instance = await openDuckDB(':memory:');
      try {
        const rows = await withConnection(instance, async (c) => (await c.runAndReadAll(BARE_SUMMARY, { files: listValue(files) })).getRowObjectsJS());
        facts['steps'] = rows.reduce((sum, r) => sum + Number(r['steps']), 0);
      } finally {
        instance.closeSync();
      }
      break;
    }
    case 'steps-parquet': {
      // The floor of any build that keeps the steps: every line parsed into the step table's columns once (the
      // ingest's own SELECT) and written once, as Parquet, with nothing else: no table, no statistics, no CSV.
      const instance = await openDuckDB(':memory:', { settings: { preserve_insertion_order: 'false' } });
      const target = join(outDir, '.floor');
      try {
        await withConnection(instance, async (c) => {
          await c.run("SET TimeZone = 'UTC'");
          await runNamed(c, 'macros');
          const select = loadQuery('ingest_records').text.replace(/^[\s\S]*?INSERT INTO records BY NAME\s*/, '');
          await c.run(`COPY (${select}) TO ${quotedString(target)} (FORMAT parquet, COMPRESSION zstd, PER_THREAD_OUTPUT true, OVERWRITE true)`, { files: listValue(files), root: `${runsDir}/` });
          facts['steps'] = Number((await c.runAndReadAll(`SELECT count(*) FILTER (WHERE type = 'step') FROM read_parquet(${quotedString(join(target, '*.parquet'))})`)).getRows()[0][0]);
        });
      } finally {
        instance.closeSync();
        rmSync(target, { recursive: true, force: true });
      }
      break;
    }
    case 'plain-node':
      facts['steps'] = await summarizeWithNode(files);
      break;
    case 'full':
    case 'incremental':
    case 'nothing-new': {
      const result = await aggregate({ runsDir, outDir, rebuild: phase === 'full' });
      facts['steps'] = result.ingest.steps;
      facts['filesRead'] = result.ingest.filesRead;
      facts['upToDate'] = result.upToDate;
      for (const [name, seconds] of Object.entries(result.timings)) facts[`t_${name}`] = Number(seconds.toFixed(3));
      break;
    }
    default:
      throw new Error(`unknown phase ${phase}`);
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ phase, seconds, rssMb: await peakRssMb(), ...facts }) + '\n');
}

await main();
