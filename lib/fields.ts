import { InputError, type Location } from './errors.ts';

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/**
 * A typed view over one parsed JSON object that reads fields and fails with
 * an InputError naming the file, line and dotted field path.
 */
export class Fields {
  readonly value: Record<string, unknown>;
  readonly where: Location;

  constructor(value: unknown, where: Location) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError(where, `expected an object, got ${describe(value)}`);
    }
    this.value = value as Record<string, unknown>;
    this.where = where;
  }

  /** The location of a child field, for messages. */
  at(key: string | number): Location {
    const parent = this.where.field;
    const child = typeof key === 'number' ? `[${key}]` : key;
    const field = parent === undefined || parent === '' ? String(child) : typeof key === 'number' ? `${parent}${child}` : `${parent}.${child}`;
    return { ...this.where, field };
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  fail(key: string, problem: string, fix?: string): never {
    throw new InputError(this.at(key), problem, fix);
  }

  private typed(key: string, kind: Kind, optional: boolean): unknown {
    const v = this.value[key];
    if (v === undefined || v === null) {
      if (optional) return undefined;
      this.fail(key, `is required (expected ${kind})`, `add "${key}"`);
    }
    const ok =
      kind === 'array' ? Array.isArray(v)
      : kind === 'object' ? typeof v === 'object' && !Array.isArray(v)
      : kind === 'integer' ? typeof v === 'number' && Number.isInteger(v)
      : kind === 'number' ? typeof v === 'number' && Number.isFinite(v)
      : typeof v === kind;
    if (!ok) this.fail(key, `expected ${kind === 'integer' ? 'an integer' : `a ${kind}`}, got ${describe(v)}`);
    return v;
  }

  string(key: string): string;
  string(key: string, opts: { optional: true }): string | undefined;
  string(key: string, opts: { optional?: boolean } = {}): string | undefined {
    return this.typed(key, 'string', opts.optional === true) as string | undefined;
  }

  number(key: string, opts?: { min?: number; max?: number }): number;
  number(key: string, opts: { optional: true; min?: number; max?: number }): number | undefined;
  number(key: string, opts: { optional?: boolean; min?: number; max?: number } = {}): number | undefined {
    const v = this.typed(key, 'number', opts.optional === true) as number | undefined;
    if (v !== undefined) this.checkRange(key, v, opts);
    return v;
  }

  integer(key: string, opts?: { min?: number; max?: number }): number;
  integer(key: string, opts: { optional: true; min?: number; max?: number }): number | undefined;
  integer(key: string, opts: { optional?: boolean; min?: number; max?: number } = {}): number | undefined {
    const v = this.typed(key, 'integer', opts.optional === true) as number | undefined;
    if (v !== undefined) this.checkRange(key, v, opts);
    return v;
  }

  boolean(key: string): boolean;
  boolean(key: string, opts: { optional: true }): boolean | undefined;
  boolean(key: string, opts: { optional?: boolean } = {}): boolean | undefined {
    return this.typed(key, 'boolean', opts.optional === true) as boolean | undefined;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T;
  oneOf<T extends string>(key: string, allowed: readonly T[], opts: { optional: true }): T | undefined;
  oneOf<T extends string>(key: string, allowed: readonly T[], opts: { optional?: boolean } = {}): T | undefined {
    const v = this.typed(key, 'string', opts.optional === true) as string | undefined;
    if (v !== undefined && !(allowed as readonly string[]).includes(v)) {
      this.fail(key, `must be one of ${allowed.join(', ')}; got ${JSON.stringify(v)}`);
    }
    return v as T | undefined;
  }

  object(key: string): Fields;
  object(key: string, opts: { optional: true }): Fields | undefined;
  object(key: string, opts: { optional?: boolean } = {}): Fields | undefined {
    const v = this.typed(key, 'object', opts.optional === true);
    return v === undefined ? undefined : new Fields(v, this.at(key));
  }

  array(key: string): unknown[];
  array(key: string, opts: { optional: true }): unknown[] | undefined;
  array(key: string, opts: { optional?: boolean } = {}): unknown[] | undefined {
    return this.typed(key, 'array', opts.optional === true) as unknown[] | undefined;
  }

  /** Each element of an array of objects, as Fields located at `key[i]`. */
  objects(key: string, opts: { optional?: boolean } = {}): Fields[] {
    const list = opts.optional === true ? this.array(key, { optional: true }) : this.array(key);
    return (list ?? []).map((item, i) => new Fields(item, { ...this.at(key), field: `${this.at(key).field}[${i}]` }));
  }

  /** Keys present that are not in `known`: for "unknown field" errors that catch typos. */
  unknownKeys(known: readonly string[]): string[] {
    return Object.keys(this.value).filter((k) => !known.includes(k));
  }

  private checkRange(key: string, v: number, opts: { min?: number; max?: number }): void {
    if (opts.min !== undefined && v < opts.min) this.fail(key, `must be ≥ ${opts.min}; got ${v}`);
    if (opts.max !== undefined && v > opts.max) this.fail(key, `must be ≤ ${opts.max}; got ${v}`);
  }
}
