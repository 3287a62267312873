// A small field-table kit: a record's fields are written once as data (type, presence, since-version, DuckDB
// column), and its TypeScript type, its validator and its DuckDB read columns and validity check all derive from
// that table (core/record.ts, analysis/aggregate/recordSql.ts).

/**
 * required: the record is unusable without it (present, of its type, within its bounds);
 * nullable: read as null when absent, null or of another type;
 * defaulted: read as its default when absent, null or of another type;
 * optional: left out when absent or of another type.
 */
export type Presence = 'required' | 'nullable' | 'defaulted' | 'optional';

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'object' | 'map' | 'strings' | 'any';

export interface FieldSpec<T = unknown, P extends Presence = Presence> {
  readonly type: FieldType;
  readonly presence: P;
  /** The contract version that introduced the field. */
  readonly since: number;
  readonly doc: string;
  /** enum: the accepted values. */
  readonly values?: readonly string[];
  /** enum (not required): what an unknown value reads as. */
  readonly fallback?: string;
  /** integer/number: inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
  /** object: its fields. */
  readonly fields?: Readonly<Record<string, FieldSpec>>;
  /** object: keys beyond `fields` are kept as they are (a lane). */
  readonly passthrough?: boolean;
  /** string: an ISO-8601 time, kept by the aggregate as a UTC timestamp. */
  readonly timestamp?: boolean;
  /** defaulted: the value an absent field reads as. */
  readonly default?: unknown;
  /** The records column the aggregate reads this field into (leaves, and objects kept as JSON text). */
  readonly column?: string;
  /** Only the type checker reads this. */
  readonly __value?: T;
}

export type Fields = Readonly<Record<string, FieldSpec>>;

type ValueOf<S> = S extends FieldSpec<infer T> ? T : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The TypeScript shape of an object of fields: required as is, nullable with null, optional as `?`. */
export type ShapeOf<F extends Fields> = Simplify<
  { -readonly [K in keyof F as F[K]['presence'] extends 'optional' ? never : K]: F[K]['presence'] extends 'nullable' ? ValueOf<F[K]> | null : ValueOf<F[K]> } &
  { -readonly [K in keyof F as F[K]['presence'] extends 'optional' ? K : never]?: ValueOf<F[K]> }
>;

interface Options {
  since?: number;
  column?: string;
  default?: unknown;
}

function make<T, P extends Presence>(type: FieldType, presence: P, doc: string, extra: Omit<FieldSpec, 'type' | 'presence' | 'doc' | 'since'> & Options = {}): FieldSpec<T, P> {
  return { type, presence, doc, since: 1, ...extra } as FieldSpec<T, P>;
}

/** The builders of a field table. */
export const field = {
  string: <P extends Presence>(presence: P, doc: string, o: Options = {}) => make<string, P>('string', presence, doc, o),
  timestamp: <P extends Presence>(presence: P, doc: string, o: Options = {}) => make<string, P>('string', presence, doc, { ...o, timestamp: true }),
  integer: <P extends Presence>(presence: P, doc: string, o: Options & { min?: number; max?: number } = {}) => make<number, P>('integer', presence, doc, o),
  number: <P extends Presence>(presence: P, doc: string, o: Options & { min?: number } = {}) => make<number, P>('number', presence, doc, o),
  boolean: <P extends Presence>(presence: P, doc: string, o: Options = {}) => make<boolean, P>('boolean', presence, doc, o),
  oneOf: <const V extends readonly string[], P extends Presence>(presence: P, values: V, doc: string, o: Options & { fallback?: V[number] } = {}) =>
    make<V[number], P>('enum', presence, doc, { ...o, values }),
  object: <F extends Fields, P extends Presence>(presence: P, fields: F, doc: string, o: Options = {}) => make<ShapeOf<F>, P>('object', presence, doc, { ...o, fields }),
  /** An object with known fields to check and any others kept (typed as T). */
  open: <T, P extends Presence>(presence: P, fields: Fields, doc: string, o: Options = {}) => make<T, P>('object', presence, doc, { ...o, fields, passthrough: true }),
  /** An object with keys of its own choosing (dials, settings, task facts), kept as it is. */
  map: <T, P extends Presence>(presence: P, doc: string, o: Options = {}) => make<Record<string, T>, P>('map', presence, doc, o),
  strings: <P extends Presence>(presence: P, doc: string, o: Options = {}) => make<string[], P>('strings', presence, doc, o),
  any: <P extends Presence>(presence: P, doc: string, o: Options = {}) => make<unknown, P>('any', presence, doc, o),
};

/** What a required field must be, in words: the one wording TypeScript and DuckDB both report. */
export function describeField(spec: FieldSpec): string {
  switch (spec.type) {
    case 'string':
      return 'a string';
    case 'integer':
      return spec.max !== undefined ? `an integer from ${spec.min ?? 0} to ${spec.max}` : spec.min !== undefined ? `an integer ≥ ${spec.min}` : 'an integer';
    case 'number':
      return spec.min !== undefined ? `a number ≥ ${spec.min}` : 'a number';
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${(spec.values ?? []).join(', ')}`;
    case 'object':
    case 'map':
      return 'an object';
    case 'strings':
      return 'a list of strings';
    case 'any':
      return 'present';
  }
}

/** True when `value` is of the field's type and within its bounds (objects: only that they are objects). */
export function fitsField(spec: FieldSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && inBounds(spec, value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && inBounds(spec, value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && (spec.values ?? []).includes(value);
    case 'object':
    case 'map':
      return isObject(value);
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'any':
      return value !== undefined && value !== null;
  }
}

function inBounds(spec: FieldSpec, value: number): boolean {
  return (spec.min === undefined || value >= spec.min) && (spec.max === undefined || value <= spec.max);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Why a record is unusable: the first required field that is missing or wrong, as `path must be …`. */
export class FieldProblem {
  constructor(readonly path: string, readonly spec: FieldSpec) {}

  get message(): string {
    return `${this.path} must be ${describeField(this.spec)}`;
  }
}

/** The first required field that is missing or wrong, or null: the one definition of a usable record. */
export function findProblem(fields: Fields, value: Record<string, unknown>, path = ''): FieldProblem | null {
  for (const key in fields) {
    const spec = fields[key];
    if (spec.presence !== 'required') continue;
    const raw = value[key];
    const at = path === '' ? key : `${path}.${key}`;
    if (!fitsField(spec, raw)) return new FieldProblem(at, spec);
    if (spec.type === 'object') {
      const inner = findProblem(spec.fields ?? {}, raw as Record<string, unknown>, at);
      if (inner !== null) return inner;
    }
  }
  return null;
}

/**
 * Reads an object by its field table: returns the typed value, or the first problem with a required field.
 * Fields that are not required never make a record unusable: of another type they read as null (nullable), as
 * their default (defaulted) or are left out (optional), and an unknown enum value reads as its fallback.
 */
export function readFields(fields: Fields, value: Record<string, unknown>): Record<string, unknown> | FieldProblem {
  return findProblem(fields, value) ?? readChecked(fields, value, false);
}

function readChecked(fields: Fields, value: Record<string, unknown>, passthrough: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = passthrough ? { ...value } : {};
  for (const key in fields) {
    const spec = fields[key];
    const raw = value[key];
    let read: unknown;
    if (spec.type === 'object' && isObject(raw)) {
      // a non-required object whose own required fields fail reads as absent
      if (spec.presence === 'required' || findProblem(spec.fields ?? {}, raw) === null) read = readChecked(spec.fields ?? {}, raw, spec.passthrough === true);
    } else if (fitsField(spec, raw)) {
      read = spec.type === 'strings' ? [...(raw as string[])] : raw;
    } else if (spec.type === 'enum' && spec.fallback !== undefined && typeof raw === 'string') {
      read = spec.fallback;
    }
    if (read !== undefined) out[key] = read;
    else if (spec.presence === 'nullable') out[key] = null;
    else if (spec.presence === 'defaulted') out[key] = spec.default;
    else delete out[key];
  }
  return out;
}
