import type { Writable } from 'node:stream';

/** Where a command writes: data to `out` (stdout), progress and logs to `log` (stderr). */
export interface Output {
  /** Writes data (a table, JSON) to stdout. */
  data(text: string): void;
  /** Writes a log line to stderr. */
  info(text: string): void;
  warn(text: string): void;
  debug(text: string): void;
  /** True when stderr is a terminal, so progress bars may redraw in place. */
  readonly interactive: boolean;
  readonly color: boolean;
  readonly stderr: Writable;
}

/** An Output over the process streams; NO_COLOR in `env` turns colour off, --debug turns debug lines on. */
export function createProcessOutput(options: { env: NodeJS.ProcessEnv; debug?: boolean; quiet?: boolean }): Output {
  const color = process.stderr.isTTY === true && options.env['NO_COLOR'] === undefined;
  const paint = (code: string, text: string): string => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  return {
    data: (text) => void process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    info: (text) => {
      if (options.quiet !== true) process.stderr.write(text + '\n');
    },
    warn: (text) => void process.stderr.write(paint('33', 'warning: ') + text + '\n'),
    debug: (text) => {
      if (options.debug === true) process.stderr.write(paint('90', text) + '\n');
    },
    interactive: process.stderr.isTTY === true,
    color,
    stderr: process.stderr,
  };
}

/** An Output that records everything, for tests and library callers that want silence. */
export function createMemoryOutput(): Output & { readonly dataText: string[]; readonly logText: string[] } {
  const dataText: string[] = [];
  const logText: string[] = [];
  const sink = { write: (chunk: string) => (logText.push(chunk), true) } as unknown as Writable;
  return {
    dataText,
    logText,
    data: (text) => void dataText.push(text),
    info: (text) => void logText.push(text),
    warn: (text) => void logText.push(`warning: ${text}`),
    debug: () => {},
    interactive: false,
    color: false,
    stderr: sink,
  };
}
