import { InputError } from '../../lib/errors.ts';
import { findNearMiss } from '../../lib/nearMiss.ts';
import { parseCsv, type CsvRecord } from './csv.ts';
import type { RawRecord } from './types.ts';

/** A blank line inside the CSV `evidence` cell separates passages. */
const PASSAGE_BREAK = /\r?\n[ \t]*\r?\n/;
const CSV_COLUMNS = ['id', 'cluster', 'question', 'answer', 'evidence', 'tags'] as const;
const CSV_REQUIRED = ['id', 'question', 'answer'] as const;
const CSV_OPTION = /^option_([a-z0-9]{1,4})$/;
const CSV_PRO = /^pro_([a-z0-9]{1,4})$/;
/** A column name with a one-to-four character suffix, to catch typos of option_x and pro_x. */
const SUFFIXED = /^(.+)[\s_-]([a-z0-9]{1,4})$/;
const COLUMNS_HINT = 'columns: id, cluster, question, option_a…, pro_a…, answer, evidence, tags; any other column is kept under the item\'s meta';

/** The header of a CSV suite: lower-cased names, and the columns kept as meta under their names as written. */
interface CsvHeader {
  names: string[];
  meta: { index: number; name: string }[];
}

function isKnownColumn(name: string): boolean {
  return (CSV_COLUMNS as readonly string[]).includes(name) || CSV_OPTION.test(name) || CSV_PRO.test(name);
}

/** The known column an unknown one is probably a typo of ("anwser", "opton_a"), when the header lacks that column. */
function nearMissColumn(name: string, names: readonly string[]): string | undefined {
  const near = findNearMiss(name, CSV_COLUMNS.filter((c) => !names.includes(c)));
  if (near !== undefined) return near;
  const m = SUFFIXED.exec(name);
  if (m === null) return undefined;
  const prefix = m[1] === 'option' || m[1] === 'pro' ? m[1] : findNearMiss(m[1], ['option', 'pro']);
  const column = prefix === undefined ? undefined : `${prefix}_${m[2]}`;
  return column !== undefined && !names.includes(column) ? column : undefined;
}

function readHeader(record: CsvRecord, file: string): CsvHeader {
  const where = (field: string) => ({ file, line: record.line, field });
  const names = record.cells.map((h) => h.trim().toLowerCase());
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) throw new InputError(where(name), `column "${record.cells[i].trim()}" appears twice`);
  });
  const meta: CsvHeader['meta'] = [];
  names.forEach((name, index) => {
    if (isKnownColumn(name)) return;
    const near = nearMissColumn(name, names);
    if (near !== undefined) throw new InputError(where(record.cells[index].trim()), `is not a suite column; did you mean "${near}"?`, `rename it to "${near}"; ${COLUMNS_HINT}`);
    meta.push({ index, name: record.cells[index].trim() });
  });
  for (const name of CSV_REQUIRED) {
    if (!names.includes(name)) throw new InputError(where(name), `the header has no "${name}" column`, COLUMNS_HINT);
  }
  if (!names.some((h) => CSV_OPTION.test(h))) throw new InputError(where('option_a'), 'the header has no option_* columns', COLUMNS_HINT);
  return { names, meta };
}

/** Maps one CSV record to the JSONL item shape, so one validator checks both. */
function csvToItem(record: CsvRecord, header: CsvHeader): Record<string, unknown> {
  const { names } = header;
  const cell = (name: string): string => record.cells[names.indexOf(name)]?.trim() ?? '';
  const options: Record<string, unknown>[] = [];
  names.forEach((name, i) => {
    const m = CSV_OPTION.exec(name);
    const optionText = record.cells[i]?.trim() ?? '';
    if (m === null || optionText === '') return;
    const option: Record<string, unknown> = { key: m[1].toUpperCase(), text: optionText };
    const pro = names.includes(`pro_${m[1]}`) ? cell(`pro_${m[1]}`) : '';
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
  if (header.meta.length > 0) item['meta'] = Object.fromEntries(header.meta.map((m) => [m.name, record.cells[m.index]]));
  return item;
}

/**
 * Reads a CSV suite's records as raw MCQ items. A bad header stops the read;
 * a row with the wrong cell count is a problem and the read goes on.
 */
export function readCsvItems(text: string, file: string, problems: InputError[]): RawRecord[] {
  const records = parseCsv(text, file);
  if (records.length === 0) return [];
  const header = readHeader(records[0], file);
  const raw: RawRecord[] = [];
  for (const record of records.slice(1)) {
    if (record.cells.length !== header.names.length) {
      problems.push(new InputError({ file, line: record.line }, `has ${record.cells.length} cells; the header has ${header.names.length}`, 'quote cells that hold commas'));
      continue;
    }
    raw.push({ line: record.line, value: csvToItem(record, header) });
  }
  return raw;
}
