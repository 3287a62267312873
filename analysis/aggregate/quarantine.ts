// Finds the exact lines behind the rows DuckDB could not use. read_json(ignore_errors) turns a bad line into an
// all-NULL row without a line number, so only the files that produced such rows are read again: DuckDB gives
// each bad row's position among the non-blank lines (WITH ORDINALITY), and a cheap Node pass over that one file
// turns positions into line numbers and says why the line is unreadable.

import { DuckDBTimestampValue, type DuckDBConnection } from '@duckdb/node-api';
import { openLogLines } from '../../pipelines/runlog/reader.ts';
import { queryNamed } from '../queries.ts';
import { readRunLogLine } from '../../core/record.ts';

/** One quarantined line. */
export interface QuarantinedLine {
  file: string;
  line: number;
  reason: string;
  /** The start of the line, for a human to recognise it. */
  text: string;
}

const TEXT_LIMIT = 200;

/** Says why a line DuckDB could not read is unusable, in the contract's words (core/record.ts). */
export function explainUnreadable(line: string): string {
  const reading = readRunLogLine(line);
  return reading.ok ? 'a JSON object the reader could not read (a number out of range, or over 16 MB)' : reading.problem;
}

/**
 * Locates the unusable lines of one log: `expected` is how many DuckDB flagged in the bulk read. If the file
 * changed in between and fewer are found, the rest are reported at line 0 so the counts still add up.
 */
export async function locateProblemLines(connection: DuckDBConnection, path: string, file: string, expected: number): Promise<QuarantinedLine[]> {
  const rows = await queryNamed(connection, 'problem_lines', { path });
  const wanted = new Map<number, string>(rows.map((r) => [Number(r['ordinal']), String(r['problem'])]));
  const found: QuarantinedLine[] = [];
  let ordinal = 0;
  let lineNumber = 0;
  for await (const line of openLogLines(path)) {
    lineNumber++;
    if (line.trim() === '') continue;
    ordinal++;
    const problem = wanted.get(ordinal);
    if (problem === undefined) continue;
    found.push({ file, line: lineNumber, reason: problem === 'unreadable' ? explainUnreadable(line) : problem, text: line.slice(0, TEXT_LIMIT) });
    if (found.length === wanted.size) break;
  }
  for (let i = found.length; i < expected; i++) {
    found.push({ file, line: 0, reason: 'unusable line that could not be located again (the file changed while it was read)', text: '' });
  }
  return found.slice(0, Math.max(expected, 0));
}

/** Writes quarantined lines with the Appender. */
export async function appendQuarantine(connection: DuckDBConnection, lines: readonly QuarantinedLine[], ingestedAt: Date): Promise<void> {
  if (lines.length === 0) return;
  const appender = await connection.createAppender('quarantine');
  try {
    const at = new DuckDBTimestampValue(BigInt(ingestedAt.getTime()) * 1000n);
    for (const q of lines) {
      appender.appendVarchar(q.file);
      appender.appendBigInt(BigInt(q.line));
      appender.appendVarchar(q.reason);
      appender.appendVarchar(q.text);
      appender.appendTimestamp(at);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
