export type Cell = string | number | boolean | bigint | null | undefined;
export type Row = Record<string, Cell>;

function formatCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (Number.isInteger(value)) return String(value);
    return Math.abs(value) >= 100 ? value.toFixed(1) : Math.abs(value) >= 1 ? value.toFixed(3) : value.toFixed(4);
  }
  return String(value);
}

/** Renders rows as an aligned plain-text table; numbers align right. */
export function renderTable(rows: readonly Row[], columns?: readonly string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (cols.length === 0) return '(no rows)\n';
  const cells = rows.map((r) => cols.map((c) => formatCell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const numeric = cols.map((c) => rows.length > 0 && rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number' || typeof r[c] === 'bigint'));
  const line = (values: string[]): string =>
    values.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line([...cols]), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)];
  if (rows.length === 0) out.push('(no rows)');
  return out.join('\n') + '\n';
}

/** Renders rows as NDJSON (one JSON object a line); bigints become numbers when safe, else strings. */
export function renderJsonLines(rows: readonly Row[]): string {
  return rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : String(v)) : v))).join('\n') + (rows.length > 0 ? '\n' : '');
}

/** Renders rows as CSV with RFC 4180 quoting. */
export function renderCsv(rows: readonly Row[], columns?: readonly string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const quote = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return [cols.map(quote).join(','), ...rows.map((r) => cols.map((c) => quote(formatCsvCell(r[c]))).join(','))].join('\n') + '\n';
}

function formatCsvCell(value: Cell): string {
  return value === null || value === undefined ? '' : String(value);
}
