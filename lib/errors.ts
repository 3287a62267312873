/**
 * Exit codes shared by every command: 0 ok, 1 unexpected, 2 usage or bad input, 3 stopped by a threshold or budget,
 * 130 interrupted by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
 */
export const ExitCode = { ok: 0, unexpected: 1, usage: 2, stopped: 3, interrupted: 130 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error meant for the user: bin/ prints its message and hint without a stack. */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: ExitCodeValue; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.hint = options.hint;
  }
}

/** Where a bad value was found: a file, optionally a line, and a dotted field path. */
export interface Location {
  file?: string;
  line?: number;
  field?: string;
}

/** Formats a location as `file:line: field` for error messages. */
export function formatLocation(where: Location): string {
  const place = where.file === undefined ? '' : where.line === undefined ? where.file : `${where.file}:${where.line}`;
  if (where.field === undefined || where.field === '') return place;
  return place === '' ? `field ${where.field}` : `${place}: field ${where.field}`;
}

/** Bad input (a lane, a suite item, a settings file, a log record): names the place and the fix. */
export class InputError extends CliError {
  readonly where: Location;
  readonly problem: string;

  constructor(where: Location, problem: string, fix?: string) {
    const place = formatLocation(where);
    super(place === '' ? problem : `${place}: ${problem}`, fix === undefined ? {} : { hint: fix });
    this.name = 'InputError';
    this.where = where;
    this.problem = problem;
  }
}

/** Thrown when a budget or threshold (e.g. --max-cost) stopped the work; maps to exit code 3. */
export class StoppedError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, hint === undefined ? { exitCode: ExitCode.stopped } : { exitCode: ExitCode.stopped, hint });
    this.name = 'StoppedError';
  }
}
