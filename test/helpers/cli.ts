import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/audition.mjs', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `audition` bin in a child process, as a user would. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...(options.env ?? {}) },
    encoding: 'utf8',
    input: options.input,
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export interface StartedCli {
  pid: number;
  exited: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => void;
  /** stdout and stderr so far, interleaved. */
  output: () => string;
  stderr: () => string;
}

/** Starts the real bin as a child process (async, so an in-process fake server keeps answering and signals can be sent). */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): StartedCli {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stderr = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => {
    output += d;
    stderr += d;
  });
  return { pid: child.pid ?? -1, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))), kill: (signal) => child.kill(signal), output: () => output, stderr: () => stderr };
}
