// The DuckDB side of the run-log contract, derived from its field table (core/record.ts): the columns read_json
// reads, the records table's columns, the SELECT that flattens a line into them, and the expression that says why a
// line is unusable in the same words as the TypeScript reader. The SQL files use them as @{fragment} placeholders
// (analysis/queries.ts): generated code, never values.

import { FieldProblem, type FieldSpec, type Fields } from '../../core/fieldSpec.ts';
import { RECORD_FIELDS, RECORD_TYPES, STEP_KEY_FIELDS, describeFieldProblem, type RecordType } from '../../core/record.ts';
import { quotedString } from '../../lib/duckdb.ts';

interface Leaf {
  type: RecordType;
  /** Keys from the record's top level down to the leaf. */
  path: string[];
  spec: FieldSpec;
  /** The nearest object above the leaf that may be absent, as a SQL access expression (its default must not fill it in). */
  nullableParent: string | null;
}

const SCALAR_TYPES: Partial<Record<FieldSpec['type'], string>> = { string: 'VARCHAR', enum: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN' };

const identifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const access = (path: readonly string[]): string => path.map(identifier).join('.');

/** Top-level scalars a record cannot do without are read as JSON, so a value of another type is seen, not cast. */
function isVerdictKey(key: string): boolean {
  return RECORD_TYPES.some((type) => {
    const spec = (RECORD_FIELDS[type] as Fields)[key];
    return spec !== undefined && spec.presence === 'required' && SCALAR_TYPES[spec.type] !== undefined;
  });
}

/** The DuckDB type read_json reads a field as (undefined: not read). */
function readType(spec: FieldSpec): string | undefined {
  if (spec.column !== undefined) return SCALAR_TYPES[spec.type] ?? 'VARCHAR';
  if (spec.type !== 'object') return undefined;
  const members = Object.entries(spec.fields ?? {}).flatMap(([key, child]) => {
    const type = readType(child);
    return type === undefined ? [] : [`${identifier(key)} ${type}`];
  });
  return members.length === 0 ? undefined : `STRUCT(${members.join(', ')})`;
}

/** `columns = {…}` for read_json: the union of every record type's top-level keys. */
export function recordReadColumns(): string {
  const columns = new Map<string, string>([['type', 'VARCHAR']]);
  for (const type of RECORD_TYPES) {
    for (const [key, spec] of Object.entries(RECORD_FIELDS[type] as Fields)) {
      const read = isVerdictKey(key) ? 'JSON' : readType(spec);
      if (read === undefined) continue;
      const before = columns.get(key);
      if (before !== undefined && before !== read) {
        if (before.startsWith('STRUCT') || read.startsWith('STRUCT')) throw new Error(`record field ${key} is an object in one record type and not in another`);
        columns.set(key, 'VARCHAR');
      } else {
        columns.set(key, read);
      }
    }
  }
  return `{${[...columns].map(([key, type]) => `${quotedString(key)}: ${quotedString(type)}`).join(', ')}}`;
}

function collectLeaves(type: RecordType, fields: Fields, path: string[], nullableParent: string | null, out: Leaf[]): void {
  for (const [key, spec] of Object.entries(fields)) {
    const at = [...path, key];
    if (spec.column !== undefined) out.push({ type, path: at, spec, nullableParent });
    else if (spec.type === 'object') collectLeaves(type, spec.fields ?? {}, at, spec.presence === 'nullable' || spec.presence === 'optional' ? access(at) : nullableParent, out);
  }
}

const LEAVES: readonly Leaf[] = RECORD_TYPES.flatMap((type) => {
  const out: Leaf[] = [];
  collectLeaves(type, RECORD_FIELDS[type] as Fields, [], null, out);
  return out;
});

/** JSON text as JSON, NULL when it is not JSON (DuckDB's AND does not short-circuit a failing cast). */
const asJson = (text: string): string => `CASE WHEN json_valid(${text}) THEN ${text}::JSON END`;

const literal = (value: unknown): string =>
  typeof value === 'string' ? quotedString(value) : typeof value === 'boolean' || typeof value === 'number' ? String(value) : typeof value === 'object' && value !== null ? quotedString(JSON.stringify(value)) : 'NULL';
const isJsonRead = (leaf: Leaf): boolean => leaf.path.length === 1 && isVerdictKey(leaf.path[0]);

/** A JSON value of the field's scalar type, typed; NULL when it is another type. */
function typedJson(expr: string, spec: FieldSpec): string {
  if (spec.type === 'integer') {
    return `CASE WHEN json_type(${expr}) IN ('UBIGINT', 'BIGINT') THEN ${expr}::BIGINT WHEN json_type(${expr}) = 'DOUBLE' AND ${expr}::DOUBLE = round(${expr}::DOUBLE) THEN ${expr}::DOUBLE::BIGINT END`;
  }
  if (spec.type === 'number') return `CASE WHEN json_type(${expr}) IN ('UBIGINT', 'BIGINT', 'DOUBLE') THEN ${expr}::DOUBLE END`;
  if (spec.type === 'boolean') return `CASE WHEN json_type(${expr}) = 'BOOLEAN' THEN ${expr}::BOOLEAN END`;
  return `CASE WHEN json_type(${expr}) = 'VARCHAR' THEN ${expr}->>'$' END`;
}

/** The conditions a present value must meet beyond its type (bounds, enum values). */
function constraints(expr: string, spec: FieldSpec): string[] {
  const out: string[] = [];
  if (spec.min !== undefined) out.push(`${expr} >= ${spec.min}`);
  if (spec.max !== undefined) out.push(`${expr} <= ${spec.max}`);
  if (spec.type === 'enum') out.push(`${expr} IN (${(spec.values ?? []).map(quotedString).join(', ')})`);
  return out;
}

/** A leaf's value as the TypeScript reader reads it: typed, in bounds, or NULL / its default / its fallback. */
function leafValue(leaf: Leaf): string {
  const { spec } = leaf;
  const raw = access(leaf.path);
  const object = `CASE WHEN json_type(${asJson(raw)}) = 'OBJECT' THEN ${raw} END`;
  if (spec.type === 'object' || spec.type === 'map') return spec.presence === 'defaulted' ? `coalesce(${object}, ${literal(spec.default)})` : object;
  let value = isJsonRead(leaf) ? typedJson(raw, spec) : raw;
  // a required field out of bounds makes the line a problem (recordProblemExpression), whose row is removed
  const checks = spec.presence === 'required' ? [] : constraints(value, spec);
  if (spec.type === 'enum' && spec.fallback !== undefined) value = `CASE WHEN ${checks.join(' AND ')} THEN ${value} WHEN ${value} IS NOT NULL THEN ${quotedString(spec.fallback)} END`;
  else if (checks.length > 0) value = `CASE WHEN ${checks.join(' AND ')} THEN ${value} END`;
  if (spec.presence === 'defaulted' && spec.default !== undefined) {
    value = `coalesce(${value}, ${literal(spec.default)})`;
    if (leaf.nullableParent !== null) value = `CASE WHEN ${leaf.nullableParent} IS NOT NULL THEN ${value} END`;
  }
  return value;
}

function isTimestamp(spec: FieldSpec): boolean {
  return spec.timestamp === true;
}

function columnType(spec: FieldSpec): string {
  if (isTimestamp(spec)) return 'TIMESTAMP';
  return SCALAR_TYPES[spec.type] ?? 'VARCHAR';
}

interface Column {
  name: string;
  type: string;
  leaves: Leaf[];
}

const COLUMNS: readonly Column[] = (() => {
  const byName = new Map<string, Column>();
  for (const leaf of LEAVES) {
    const name = leaf.spec.column as string;
    const column = byName.get(name) ?? { name, type: columnType(leaf.spec), leaves: [] };
    if (column.type !== columnType(leaf.spec)) column.type = 'VARCHAR';
    column.leaves.push(leaf);
    byName.set(name, column);
  }
  return [...byName.values()];
})();

/** The records table's columns, after `file`. */
export function recordTableColumns(): string {
  return COLUMNS.map((c) => `${identifier(c.name)} ${c.type}`).join(',\n  ');
}

/** The SELECT list that flattens a line into the records columns (one expression per column; per record type where they differ). */
export function recordSelectList(): string {
  return COLUMNS.map((column) => {
    const values = column.leaves.map((leaf) => ({ type: leaf.type, sql: isTimestamp(leaf.spec) ? `parse_utc_timestamp(${leafValue(leaf)})` : leafValue(leaf) }));
    const same = values.every((v) => v.sql === values[0].sql);
    const expr = same && values.length === RECORD_TYPES.length ? values[0].sql
      : same ? `CASE WHEN type IN (${values.map((v) => quotedString(v.type)).join(', ')}) THEN ${values[0].sql} END`
      : `CASE type ${values.map((v) => `WHEN ${quotedString(v.type)} THEN ${v.sql}`).join(' ')} END`;
    return `${expr} AS ${identifier(column.name)}`;
  }).join(',\n  ');
}

/** The checks of a record type's required fields, in the table's order, each with the reader's wording. */
function requiredChecks(type: RecordType, fields: Fields, path: string[], inText: { column: string; depth: number } | null): { ok: string; problem: string }[] {
  const out: { ok: string; problem: string }[] = [];
  for (const [key, spec] of Object.entries(fields)) {
    if (spec.presence !== 'required') continue;
    const at = [...path, key];
    const problem = describeFieldProblem(type, new FieldProblem(at.join('.'), spec));
    if (inText !== null) {
      const value = `json_extract(${inText.column}, ${quotedString(`$.${at.slice(inText.depth).join('.')}`)})`;
      const typed = typedJson(value, spec);
      out.push({ ok: [`${typed} IS NOT NULL`, ...constraints(typed, spec)].join(' AND '), problem });
    } else if (spec.column !== undefined && (spec.type === 'object' || spec.type === 'map')) {
      const text = access(at);
      out.push({ ok: `json_type(${asJson(text)}) = 'OBJECT'`, problem });
      out.push(...requiredChecks(type, spec.fields ?? {}, at, { column: asJson(text), depth: at.length }));
    } else if (path.length === 0 && isVerdictKey(key)) {
      const typed = typedJson(access(at), spec);
      out.push({ ok: [`${typed} IS NOT NULL`, ...constraints(typed, spec)].join(' AND '), problem });
    } else {
      throw new Error(`required field ${at.join('.')} of ${type} has no check in DuckDB; read it at the top level or inside an object kept as JSON`);
    }
  }
  return out;
}

/** Why a flattened line is unusable (NULL when it is usable); 'unreadable' when it is not a record at all (Node then says why). */
export function recordProblemExpression(): string {
  const byType = RECORD_TYPES.map((type) => {
    const whens = requiredChecks(type, RECORD_FIELDS[type] as Fields, [], null).map((c) => `WHEN NOT coalesce(${c.ok}, false) THEN ${quotedString(c.problem)}`);
    return `WHEN ${quotedString(type)} THEN CASE ${whens.join(' ')} END`;
  });
  return `CASE type ${byType.join(' ')} ELSE 'unreadable' END`;
}

/** The fragments the SQL files name as @{name}. */
export const RECORD_SQL_FRAGMENTS: Readonly<Record<string, () => string>> = {
  record_read_columns: recordReadColumns,
  record_table_columns: recordTableColumns,
  record_select: recordSelectList,
  record_problem: recordProblemExpression,
  /** The columns that identify a step: the latest record per these wins. */
  step_key: () => STEP_KEY_FIELDS.map(identifier).join(', '),
  step_key_of_r: () => STEP_KEY_FIELDS.map((f) => `r.${identifier(f)}`).join(', '),
};
