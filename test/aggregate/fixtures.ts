// Run logs for the aggregate tests, written as real files in temp folders.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as assert from 'uvu/assert';
import { withDatabase } from '../../lib/duckdb.ts';
import type { Lane } from '../../core/lane.ts';
import type { StepRecord } from '../../core/record.ts';
import { runEnd, runStart, step } from '../helpers/records.ts';

/** Writes lines (records as JSON, strings as they are) to runsDir/rel, creating folders. */
export function writeLog(runsDir: string, rel: string, lines: readonly (object | string)[]): string {
  const path = join(runsDir, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}

/**
 * Writes lines gzipped to runsDir/rel; `damage` cuts the last 30 % of the compressed bytes off, or garbles 40
 * bytes in the middle, as a copy interrupted or a bad disk would.
 */
export function writeGzipLog(runsDir: string, rel: string, lines: readonly (object | string)[], damage?: 'cut' | 'corrupt'): string {
  const path = join(runsDir, rel);
  mkdirSync(dirname(path), { recursive: true });
  const gz = gzipSync(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  const middle = Math.floor(gz.length / 2);
  if (damage === 'corrupt') for (let i = middle; i < middle + 40; i++) gz[i] ^= 0x5a;
  writeFileSync(path, damage === 'cut' ? gz.subarray(0, Math.floor(gz.length * 0.7)) : gz);
  return path;
}

export const LANE_A: Lane = { slug: 'a.t0-2', alias: 'a', provider: 'sim', model: 'sim-a', dials: { temperature: 0.2 }, active: true, visible: true };
export const LANE_B: Lane = { slug: 'b.t0-2', alias: 'b', provider: 'sim', model: 'sim-b', dials: { temperature: 0.2 }, active: true, visible: true };

/** A step of `lane` with an explicit verdict (status ok and correct, ok and wrong, abstain, error). */
export function stepOf(runId: string, lane: Lane, item: string, replicate: number, outcome: 'right' | 'wrong' | 'abstain' | 'error', index = 0): StepRecord {
  const base = step(runId, item, replicate, outcome === 'right' || outcome === 'wrong' ? 'ok' : outcome, index);
  const correct = outcome === 'right';
  return {
    ...base,
    lane: lane.slug, model: lane.model, dials: { ...lane.dials } as Record<string, number>,
    evaluation: outcome === 'error' ? null : { correct, score: correct ? 1 : 0, citations_evidence: null },
  };
}

/** A complete small log: run_start, one step an item with the given outcomes, run_end. */
export function simpleLog(runId: string, lane: Lane, outcomes: readonly ('right' | 'wrong' | 'abstain' | 'error')[]): object[] {
  const steps = outcomes.map((o, i) => stepOf(runId, lane, `q${i + 1}`, 0, o, i));
  const counts = { ok: outcomes.filter((o) => o === 'right' || o === 'wrong').length, abstain: outcomes.filter((o) => o === 'abstain').length, error: outcomes.filter((o) => o === 'error').length };
  const start = runStart(runId, lane);
  return [{ ...start, suite: { ...start.suite, n_items: outcomes.length } }, ...steps, runEnd(runId, counts)];
}

/** Runs one query against a built database (read-only) and returns rows with bigints as numbers. */
export async function query(database: string, sql: string): Promise<Record<string, unknown>[]> {
  return withDatabase(database, { readOnly: true }, async (connection) => {
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  });
}

/** Asserts |actual − expected| ≤ tolerance, with a message naming both. */
export function assertNear(actual: number, expected: number, tolerance: number, label = ''): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label} expected ${expected} ± ${tolerance}, got ${actual}`);
}
