import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { PLAIN_COMMAND, type CommandRenderer } from '../../lib/commandHint.ts';
import { CliError, InputError } from '../../lib/errors.ts';
import { readCsvItems, readCsvPassages } from './csvItems.ts';
import { PassageTable } from './passages.ts';
import type { RawRecord, Suite, SuiteItem } from './types.ts';
import { parseSuiteRecord, type SuiteRecord } from './validate.ts';

const SUITE_EXTENSIONS = ['.jsonl', '.ndjson', '.csv'] as const;
/** A CSV suite's passage table sits beside it: `name.csv` → `name.passages.csv`. */
const PASSAGE_TABLE_SUFFIX = '.passages.csv';

/** A suite file read line by line: items that validated, and every problem found (empty when valid). */
export interface SuiteCheck {
  suite: Suite;
  problems: InputError[];
}

/** The passage table file of a CSV suite (it may not exist). */
export function passageTablePath(csvPath: string): string {
  return join(dirname(csvPath), `${basename(csvPath, extname(csvPath))}${PASSAGE_TABLE_SUFFIX}`);
}

function readJsonLines(text: string, file: string, problems: InputError[]): RawRecord[] {
  const raw: RawRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    try {
      raw.push({ file, line: i + 1, value: JSON.parse(trimmed) });
    } catch (error) {
      problems.push(new InputError({ file, line: i + 1 }, `not valid JSON: ${(error as Error).message}`, 'one JSON object a line'));
    }
  });
  return raw;
}

async function readSuiteBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new CliError(`cannot read suite ${path}: ${(error as Error).message}`, { hint: 'check the path' });
  }
}

async function readOptionalBytes(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** An item record as validated, and where it came from. */
interface ParsedItem {
  raw: RawRecord;
  record: Extract<SuiteRecord, { kind: 'item' }>;
}

/**
 * Validates raw records, collecting every problem (one per record), and puts
 * every passage they define (passage records, inline evidence) in the table,
 * in file order. Returns the items, their references not yet resolved.
 */
function parseRecords(raw: readonly RawRecord[], table: PassageTable, problems: InputError[]): ParsedItem[] {
  const parsed: ParsedItem[] = [];
  for (const r of raw) {
    try {
      const record = parseSuiteRecord(r.value, { file: r.file, line: r.line });
      if (record.kind === 'passage') {
        table.define(record.passage.id, record.passage.text, { file: r.file, line: r.line, field: 'text' });
        continue;
      }
      if (record.item.kind === 'mcq') record.item.evidence = record.item.evidence.map((p, i) => table.define(p.id, p.text, { file: r.file, line: r.line, field: `evidence[${i}].text` }));
      parsed.push({ raw: r, record });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error);
    }
  }
  return parsed;
}

/** Resolves the items' passage references (the referenced passages come first) and drops items with an unknown reference or a repeated id. */
function resolveItems(parsed: readonly ParsedItem[], table: PassageTable, problems: InputError[]): SuiteItem[] {
  const items: SuiteItem[] = [];
  const firstLine = new Map<string, number>();
  for (const { raw: r, record } of parsed) {
    const { item } = record;
    const refs = record.passageRefs.map((id) => table.get(id));
    const missing = refs.indexOf(undefined);
    if (missing >= 0) {
      const hint = r.file.endsWith('.csv') ? `define it in ${basename(passageTablePath(r.file))} (columns id, text)` : 'define it on a line {"kind": "passage", "id": …, "text": …} or inline in an item\'s evidence';
      problems.push(new InputError({ file: r.file, line: r.line, field: `passages[${missing}]` }, `passage ${record.passageRefs[missing]} is not defined in this suite`, hint));
      continue;
    }
    if (item.kind === 'mcq' && refs.length > 0) item.evidence = [...refs.filter((p) => p !== undefined), ...item.evidence];
    const seen = firstLine.get(item.id);
    if (seen !== undefined) {
      problems.push(new InputError({ file: r.file, line: r.line, field: 'id' }, `id ${item.id} is used twice (first at line ${seen})`, 'item ids must be unique in a suite'));
      continue;
    }
    firstLine.set(item.id, r.line);
    items.push(item);
  }
  return items;
}

/**
 * Reads and validates a suite file (JSONL or CSV, with a CSV suite's passage
 * table when present), reporting every bad line instead of stopping at the
 * first. The sha256 covers the passage table too, so editing it is a new suite.
 */
export async function checkSuiteFile(path: string): Promise<SuiteCheck> {
  const ext = extname(path).toLowerCase();
  if (!(SUITE_EXTENSIONS as readonly string[]).includes(ext)) throw new CliError(`suite ${path}: unknown file type ${ext === '' ? '(no extension)' : ext}`, { hint: `a suite is ${SUITE_EXTENSIONS.join(', ')}` });
  if (path.toLowerCase().endsWith(PASSAGE_TABLE_SUFFIX)) throw new CliError(`${path} is the passage table of a CSV suite, not a suite`, { hint: `check ${path.slice(0, -PASSAGE_TABLE_SUFFIX.length)}.csv` });
  const bytes = await readSuiteBytes(path);
  const hash = createHash('sha256').update(bytes);
  const problems: InputError[] = [];
  const raw: RawRecord[] = [];
  if (ext === '.csv') {
    const tablePath = passageTablePath(path);
    const table = await readOptionalBytes(tablePath);
    if (table !== undefined) {
      hash.update(table);
      raw.push(...readCsvPassages(table.toString('utf8'), tablePath, problems));
    }
    raw.push(...readCsvItems(bytes.toString('utf8'), path, problems));
  } else {
    raw.push(...readJsonLines(bytes.toString('utf8'), path, problems));
  }
  const table = new PassageTable();
  const items = resolveItems(parseRecords(raw, table, problems), table, problems);
  const files = [...new Set(raw.map((r) => r.file))];
  problems.sort((a, b) => files.indexOf(a.where.file ?? '') - files.indexOf(b.where.file ?? '') || (a.where.line ?? 0) - (b.where.line ?? 0));
  if (items.length === 0 && problems.length === 0) problems.push(new InputError({ file: path }, 'has no items'));
  const suite: Suite = { name: basename(path, extname(path)), path, sha256: hash.digest('hex'), items };
  return { suite, problems };
}

/** Loads a suite, failing on the first problem with an error that names file, line and field (`command` renders its hint). */
export async function loadSuite(path: string, command: CommandRenderer = PLAIN_COMMAND): Promise<Suite> {
  const { suite, problems } = await checkSuiteFile(path);
  if (problems.length > 0) {
    const [first] = problems;
    if (problems.length === 1) throw first;
    throw new InputError(first.where, `${first.problem} (and ${problems.length - 1} more problems)`, first.hint ?? `run '${command(['suite', 'check', path])}' to list them all`);
  }
  return suite;
}
