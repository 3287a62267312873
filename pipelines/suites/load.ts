import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { CliError, InputError } from '../../lib/errors.ts';
import { parseCsv, type CsvRecord } from './csv.ts';
import type { Suite, SuiteItem } from './types.ts';
import { parseSuiteItem } from './validate.ts';

const SUITE_EXTENSIONS = ['.jsonl', '.ndjson', '.csv'] as const;
/** A blank line inside the CSV `evidence` cell separates passages. */
const PASSAGE_BREAK = /\r?\n[ \t]*\r?\n/;
const CSV_REQUIRED = ['id', 'question', 'answer', 'evidence'] as const;
const CSV_OPTION = /^option_([a-z0-9]{1,4})$/i;
const CSV_PRO = /^pro_([a-z0-9]{1,4})$/i;
const CSV_KNOWN = /^(id|cluster|question|answer|evidence|tags|(option|pro)_[a-z0-9]{1,4})$/i;

/** A suite file read line by line: items that validated, and every problem found (empty when valid). */
export interface SuiteCheck {
  suite: Suite;
  problems: InputError[];
}

/** One raw item before validation, with the line it starts on. */
interface RawItem {
  line: number;
  value: unknown;
}

function readJsonLines(text: string, file: string, problems: InputError[]): RawItem[] {
  const raw: RawItem[] = [];
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

/** Maps CSV columns (id, cluster, question, option_a…, pro_a…, answer, evidence, tags) to the JSONL item shape. */
function csvToItem(record: CsvRecord, header: string[]): Record<string, unknown> {
  const cell = (name: string): string => record.cells[header.indexOf(name)]?.trim() ?? '';
  const options: Record<string, unknown>[] = [];
  header.forEach((name, i) => {
    const m = CSV_OPTION.exec(name);
    const optionText = record.cells[i]?.trim() ?? '';
    if (m === null || optionText === '') return;
    const option: Record<string, unknown> = { key: m[1].toUpperCase(), text: optionText };
    const proColumn = header.findIndex((h) => CSV_PRO.exec(h)?.[1].toLowerCase() === m[1].toLowerCase());
    const pro = proColumn < 0 ? '' : (record.cells[proColumn]?.trim() ?? '');
    if (pro !== '') option['pro'] = pro;
    options.push(option);
  });
  const id = cell('id');
  const cluster = cell('cluster');
  const evidence = cell('evidence').split(PASSAGE_BREAK).map((t) => t.trim()).filter((t) => t !== '').map((t, i) => ({ id: `${cluster === '' ? id : cluster}-p${i + 1}`, text: t }));
  const item: Record<string, unknown> = { kind: 'mcq', id, question: cell('question'), options, answer: cell('answer'), evidence };
  if (cluster !== '') item['cluster'] = cluster;
  const tags = cell('tags');
  if (tags !== '') item['tags'] = tags.split(/[;,]/).map((t) => t.trim()).filter((t) => t !== '');
  return item;
}

function readCsvItems(text: string, file: string, problems: InputError[]): RawItem[] {
  const records = parseCsv(text, file);
  if (records.length === 0) return [];
  const header = records[0].cells.map((h) => h.trim().toLowerCase());
  for (const name of CSV_REQUIRED) {
    if (!header.includes(name)) throw new InputError({ file, line: records[0].line, field: name }, `the header has no "${name}" column`, `columns: id, cluster, question, option_a…option_d, pro_a…pro_d, answer, evidence`);
  }
  if (!header.some((h) => CSV_OPTION.test(h))) throw new InputError({ file, line: records[0].line, field: 'option_a' }, 'the header has no option_* columns');
  const unknown = header.find((h) => !CSV_KNOWN.test(h));
  if (unknown !== undefined) throw new InputError({ file, line: records[0].line, field: unknown }, `unknown column "${unknown}"`, 'columns: id, cluster, question, option_a…, pro_a…, answer, evidence, tags');
  const raw: RawItem[] = [];
  for (const record of records.slice(1)) {
    if (record.cells.length !== header.length) {
      problems.push(new InputError({ file, line: record.line }, `has ${record.cells.length} cells; the header has ${header.length}`, 'quote cells that hold commas'));
      continue;
    }
    raw.push({ line: record.line, value: csvToItem(record, header) });
  }
  return raw;
}

/** Validates raw items, collecting every problem (one per item) and duplicate ids. */
function validateItems(raw: RawItem[], file: string, problems: InputError[]): SuiteItem[] {
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
