import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { CliError, InputError } from '../../lib/errors.ts';
import { readCsvItems } from './csvItems.ts';
import type { RawRecord, Suite, SuiteItem } from './types.ts';
import { parseSuiteItem } from './validate.ts';

const SUITE_EXTENSIONS = ['.jsonl', '.ndjson', '.csv'] as const;

/** A suite file read line by line: items that validated, and every problem found (empty when valid). */
export interface SuiteCheck {
  suite: Suite;
  problems: InputError[];
}

function readJsonLines(text: string, file: string, problems: InputError[]): RawRecord[] {
  const raw: RawRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    try {
      raw.push({ line: i + 1, value: JSON.parse(trimmed) });
    } catch (error) {
      problems.push(new InputError({ file, line: i + 1 }, `not valid JSON: ${(error as Error).message}`, 'one JSON object a line'));
    }
  });
  return raw;
}

/** Validates raw items, collecting every problem (one per item) and duplicate ids. */
function validateItems(raw: RawRecord[], file: string, problems: InputError[]): SuiteItem[] {
  const items: SuiteItem[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, value } of raw) {
    let item: SuiteItem;
    try {
      item = parseSuiteItem(value, { file, line });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error);
      continue;
    }
    const seen = firstLine.get(item.id);
    if (seen !== undefined) {
      problems.push(new InputError({ file, line, field: 'id' }, `id ${item.id} is used twice (first at line ${seen})`, 'item ids must be unique in a suite'));
      continue;
    }
    firstLine.set(item.id, line);
    items.push(item);
  }
  return items;
}

/** Reads and validates a suite file (JSONL or CSV), reporting every bad line instead of stopping at the first. */
export async function checkSuiteFile(path: string): Promise<SuiteCheck> {
  const ext = extname(path).toLowerCase();
  if (!(SUITE_EXTENSIONS as readonly string[]).includes(ext)) throw new CliError(`suite ${path}: unknown file type ${ext === '' ? '(no extension)' : ext}`, { hint: `a suite is ${SUITE_EXTENSIONS.join(', ')}` });
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CliError(`cannot read suite ${path}: ${(error as Error).message}`, { hint: 'check the path' });
  }
  const text = bytes.toString('utf8');
  const problems: InputError[] = [];
  const raw = ext === '.csv' ? readCsvItems(text, path, problems) : readJsonLines(text, path, problems);
  const items = validateItems(raw, path, problems);
  if (items.length === 0 && problems.length === 0) problems.push(new InputError({ file: path }, 'has no items'));
  const suite: Suite = { name: basename(path, extname(path)), path, sha256: createHash('sha256').update(bytes).digest('hex'), items };
  return { suite, problems };
}

/** Loads a suite, failing on the first problem with an error that names file, line and field. */
export async function loadSuite(path: string): Promise<Suite> {
  const { suite, problems } = await checkSuiteFile(path);
  if (problems.length > 0) {
    const [first] = problems;
    if (problems.length === 1) throw first;
    throw new InputError(first.where, `${first.problem} (and ${problems.length - 1} more problems)`, first.hint ?? `run 'audition suite check ${path}' to list them all`);
  }
  return suite;
}
