import { parseArgs } from 'node:util';
import type { CommandRenderer } from '../lib/commandHint.ts';
import { CliError } from '../lib/errors.ts';
import type { Output } from '../lib/output.ts';
import type { TempFiles } from '../lib/tempFiles.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  short?: string;
  /** Shown in help as `--name VALUE`. */
  value?: string;
  default?: string | boolean;
  multiple?: boolean;
}

export interface PositionalSpec {
  name: string;
  description: string;
  optional?: boolean;
  variadic?: boolean;
}

export interface CommandContext {
  options: Options;
  positionals: string[];
  output: Output;
  env: NodeJS.ProcessEnv;
  /** The words the user typed after the bin (command, options, arguments): to tell them how to run it again. */
  argv: readonly string[];
  /** Aborted on SIGINT/SIGTERM: long commands stop cleanly. */
  signal: AbortSignal;
  /** Temp files the command is writing; a second Ctrl-C removes them before the process exits at once. */
  tempFiles: TempFiles;
}

/** One command: its options (from which --help is generated) and what it does. */
export interface Command {
  name: string;
  summary: string;
  description?: string;
  positionals?: PositionalSpec[];
  options: Record<string, OptionSpec>;
  examples?: string[];
  /**
   * What the command does on the first Ctrl-C, told to the user, for a command that stops cleanly when its `signal`
   * aborts. A command without it exits at once (130) on the first Ctrl-C.
   */
  onInterrupt?: string;
  /** Returns the exit code (0 when omitted). */
  run(context: CommandContext): Promise<number | void>;
}

/** Options every command takes. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', description: 'show this help' },
  debug: { type: 'boolean', description: 'print stack traces and debug logs' },
};

/** Typed access to parsed option values, with usage errors that name the flag. */
export class Options {
  constructor(private readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>) {}

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  string(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === 'string' ? v : undefined;
  }

  required(name: string, hint?: string): string {
    const v = this.string(name);
    if (v === undefined || v === '') throw new CliError(`--${name} is required`, hint === undefined ? {} : { hint });
    return v;
  }

  list(name: string): string[] {
    const v = this.values[name];
    return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
  }

  number(name: string, constraints: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const v = Number(raw);
    const kind = constraints.integer === true ? 'a whole number' : 'a number';
    if (raw.trim() === '' || !Number.isFinite(v) || (constraints.integer === true && !Number.isInteger(v))) throw new CliError(`--${name} must be ${kind}; got ${JSON.stringify(raw)}`);
    if (constraints.min !== undefined && v < constraints.min) throw new CliError(`--${name} must be ≥ ${constraints.min}; got ${v}`);
    if (constraints.max !== undefined && v > constraints.max) throw new CliError(`--${name} must be ≤ ${constraints.max}; got ${v}`);
    return v;
  }

  integer(name: string, constraints: { min?: number; max?: number } = {}): number | undefined {
    return this.number(name, { ...constraints, integer: true });
  }

  has(name: string): boolean {
    return this.values[name] !== undefined;
  }
}

/** Parses argv for a command; unknown flags and missing positionals are usage errors (exit 2). */
export function parseCommandArgs(command: Command, argv: string[], render: CommandRenderer): { options: Options; positionals: string[] } {
  const all = { ...command.options, ...COMMON_OPTIONS };
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean }> = {};
  for (const [name, spec] of Object.entries(all)) {
    config[name] = { type: spec.type };
    if (spec.short !== undefined) config[name].short = spec.short;
    if (spec.multiple === true) config[name].multiple = true;
    if (spec.default !== undefined) config[name].default = spec.default;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: config, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message.replace(/^Unknown option/, 'unknown option')}`, { hint: `see '${render([...command.name.split(' '), '--help'])}'` });
  }
  const options = new Options(parsed.values as Record<string, string | boolean | undefined>);
  if (options.flag('help')) return { options, positionals: parsed.positionals };
  const specs = command.positionals ?? [];
  const required = specs.filter((p) => p.optional !== true).length;
  if (parsed.positionals.length < required) {
    const missing = specs[parsed.positionals.length];
    throw new CliError(`missing ${missing.name}: ${missing.description}`, { hint: `usage: ${usageLine(command)}` });
  }
  if (!specs.some((p) => p.variadic === true) && parsed.positionals.length > specs.length) {
    throw new CliError(`unexpected argument ${JSON.stringify(parsed.positionals[specs.length])}`, { hint: `usage: ${usageLine(command)}` });
  }
  return { options, positionals: parsed.positionals };
}

function usageLine(command: Command): string {
  const positionals = (command.positionals ?? []).map((p) => {
    const name = p.variadic === true ? `${p.name}…` : p.name;
    return p.optional === true ? `[${name}]` : name;
  });
  return ['audition', command.name, ...positionals, Object.keys(command.options).length > 0 ? '[options]' : ''].filter((s) => s !== '').join(' ');
}

/** Help text generated from the command's option and positional descriptions. */
export function formatHelp(command: Command): string {
  const lines = [`${command.summary}`, '', `usage: ${usageLine(command)}`];
  if (command.description !== undefined) lines.push('', command.description);
  const positionals = command.positionals ?? [];
  if (positionals.length > 0) {
    lines.push('', 'arguments:');
    const width = Math.max(...positionals.map((p) => p.name.length));
    for (const p of positionals) lines.push(`  ${p.name.padEnd(width)}  ${p.description}`);
  }
  const entries = Object.entries({ ...command.options, ...COMMON_OPTIONS });
  const labels = entries.map(([name, spec]) => `${spec.short === undefined ? '    ' : `-${spec.short}, `}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`);
  const width = Math.max(...labels.map((l) => l.length));
  lines.push('', 'options:');
  entries.forEach(([, spec], i) => {
    const extra = spec.default !== undefined && spec.default !== false ? ` (default: ${String(spec.default)})` : spec.multiple === true ? ' (repeatable)' : '';
    lines.push(`  ${labels[i].padEnd(width)}  ${spec.description}${extra}`);
  });
  if (command.examples !== undefined && command.examples.length > 0) lines.push('', 'examples:', ...command.examples.map((e) => `  ${e}`));
  return lines.join('\n') + '\n';
}
