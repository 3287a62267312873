import { InputError } from '../../lib/errors.ts';
import { findNearMiss } from '../../lib/nearMiss.ts';
import { parseCsv, type CsvRecord } from './csv.ts';
import { normalizePassageText } from './passages.ts';
import type { RawRecord } from './types.ts';

/** A blank line inside the CSV `evidence` cell separates passages. */
const PASSAGE_BREAK = /\r?\n[ \t]*\r?\n/;
const CSV_COLUMNS = ['id', 'cluster', 'question', 'answer', 'evidence', 'passages', 'tags'] as const;
const CSV_REQUIRED = ['id', 'question', 'answer'] as const;
const CSV_OPTION = /^option_([a-z0-9]{1,4})$/;
const CSV_PRO = /^pro_([a-z0-9]{1,4})$/;
/** A column name with a one-to-four character suffix, to catch typos of option_x and pro_x. */
const SUFFIXED = /^(.+)[\s_-]([a-z0-9]{1,4})$/;
const COLUMNS_HINT = 'columns: id, cluster, question, option_a…, pro_a…, answer, evidence, passages, tags; any other column is kept under the item\'s meta';
const PASSAGE_COLUMNS = ['id', 'text'] as const;
/** Ids in the `passages` cell (and tags in the `tags` cell) are separated by `;` or `,`. */
const LIST_SEPARATOR = /[;,]/;

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

/** The header's column names, lower-cased; a name given twice stops the read. */
function readColumnNames(record: CsvRecord, file: string): string[] {
  const names = record.cells.map((h) => h.trim().toLowerCase());
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) throw new InputError({ file, line: record.line, field: name }, `column "${record.cells[i].trim()}" appears twice`);
  });
  return names;
}

function readHeader(record: CsvRecord, file: string): CsvHeader {
  const where = (field: string) => ({ file, line: record.line, field });
  const names = readColumnNames(record, file);
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

/**
 * Ids for the passages of `evidence` cells: `<cluster>-p<n>` (`<id>-p<n>` for
 * an item without a cluster), numbered by distinct text within the cluster, so
 * items repeating a passage share its id and items with other text get another.
 */
class InlinePassageIds {
  private readonly byBase = new Map<string, Map<string, string>>();

  idOf(base: string, text: string): string {
    let ids = this.byBase.get(base);
    if (ids === undefined) this.byBase.set(base, (ids = new Map()));
    const normalized = normalizePassageText(text);
    let id = ids.get(normalized);
    if (id === undefined) ids.set(normalized, (id = `${base}-p${ids.size + 1}`));
    return id;
  }
}

function splitList(cell: string): string[] {
  return cell.split(LIST_SEPARATOR).map((t) => t.trim()).filter((t) => t !== '');
}

/** Maps one CSV record to the JSONL item shape, so one validator checks both. */
function csvToItem(record: CsvRecord, header: CsvHeader, inlineIds: InlinePassageIds): Record<string, unknown> {
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
  const evidence = cell('evidence').split(PASSAGE_BREAK).map((t) => t.trim()).filter((t) => t !== '').map((t) => ({ id: inlineIds.idOf(cluster === '' ? id : cluster, t), text: t }));
  const item: Record<string, unknown> = { kind: 'mcq', id, question: cell('question'), options, answer: cell('answer'), evidence };
  if (cluster !== '') item['cluster'] = cluster;
  const passages = splitList(cell('passages'));
  if (passages.length > 0) item['passages'] = passages;
  const tags = splitList(cell('tags'));
  if (tags.length > 0) item['tags'] = tags;
  if (header.meta.length > 0) item['meta'] = Object.fromEntries(header.meta.map((m) => [m.name, record.cells[m.index]]));
  return item;
}

/** The records after the header, each with as many cells as the header; a row with another count is a problem. */
function readRows(records: readonly CsvRecord[], width: number, file: string, problems: InputError[]): CsvRecord[] {
  return records.filter((record) => {
    if (record.cells.length === width) return true;
    problems.push(new InputError({ file, line: record.line }, `has ${record.cells.length} cells; the header has ${width}`, 'quote cells that hold commas'));
    return false;
  });
}

/**
 * Reads a CSV suite's records as raw MCQ items. A bad header stops the read;
 * a row with the wrong cell count is a problem and the read goes on.
 */
export function readCsvItems(text: string, file: string, problems: InputError[]): RawRecord[] {
  const records = parseCsv(text, file);
  if (records.length === 0) return [];
  const header = readHeader(records[0], file);
  const inlineIds = new InlinePassageIds();
  return readRows(records.slice(1), header.names.length, file, problems).map((record) => ({ file, line: record.line, value: csvToItem(record, header, inlineIds) }));
}

/** Reads a CSV suite's passage table (columns id, text) as raw passage records. */
export function readCsvPassages(text: string, file: string, problems: InputError[]): RawRecord[] {
  const records = parseCsv(text, file);
  if (records.length === 0) return [];
  const names = readColumnNames(records[0], file);
  const where = (field: string) => ({ file, line: records[0].line, field });
  for (const name of PASSAGE_COLUMNS) {
    if (!names.includes(name)) throw new InputError(where(name), `the passage table has no "${name}" column`, 'columns: id, text');
  }
  const other = names.find((name) => !(PASSAGE_COLUMNS as readonly string[]).includes(name));
  if (other !== undefined) throw new InputError(where(other), 'is not a column of a passage table', 'columns: id, text');
  const cell = (record: CsvRecord, name: string): string => record.cells[names.indexOf(name)].trim();
  return readRows(records.slice(1), names.length, file, problems).map((record) => ({ file, line: record.line, value: { kind: 'passage', id: cell(record, 'id'), text: cell(record, 'text') } }));
}
