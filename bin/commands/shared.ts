import type { OptionSpec, Options } from '../command.ts';

/** --runs-dir, shared by every command that reads or writes runs. */
export const RUNS_DIR_OPTION: Record<string, OptionSpec> = {
  'runs-dir': { type: 'string', value: 'DIR', description: 'where run logs live (default: $AUDITION_RUNS_DIR, else ./runs)' },
};

export const JSON_OPTION: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'print NDJSON (one object a line) instead of a table' },
};

/** The runs folder: --runs-dir, else $AUDITION_RUNS_DIR, else ./runs. */
export function runsDirOf(options: Options, env: NodeJS.ProcessEnv): string {
  return options.string('runs-dir') ?? env['AUDITION_RUNS_DIR'] ?? 'runs';
}
