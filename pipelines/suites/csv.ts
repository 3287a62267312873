import { InputError } from '../../lib/errors.ts';

/** One CSV record and the 1-based line it starts on (a quoted cell may span lines). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * Parses RFC 4180 CSV: comma-separated, `"`-quoted cells with `""` escapes,
 * quoted cells may hold commas and line breaks, CRLF or LF line endings, an
 * optional UTF-8 BOM. Blank lines are skipped.
 */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let cells: string[] = [];
  let cell = '';
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let touched = false;
  const endRecord = (): void => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== '' || touched) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    touched = false;
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"') {
      if (cell !== '') throw new InputError({ file, line }, 'a quote inside an unquoted cell', 'quote the whole cell and double the inner quotes ("")');
      quoted = true;
      quoteLine = line;
      touched = true;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      touched = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += c;
    }
  }
  if (quoted) throw new InputError({ file, line: quoteLine }, 'a quoted cell is never closed', 'add the closing quote (")');
  if (cell !== '' || cells.length > 0 || touched) endRecord();
  return records;
}
