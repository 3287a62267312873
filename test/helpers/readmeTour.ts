// The README's set-up and tour, run as written by a new user: in a folder of its own holding the bundled files, with
// `npx audition` and `npx zx` resolving to this checkout, and only the environment given (no API keys unless named).
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from './tmp.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const AUDITION_BIN = join(ROOT, 'bin', 'audition.mjs');

/** The shell commands of a README section's ```sh blocks: continuation lines joined, comments dropped. */
export function shellCommands(readme: string, heading: string): string[] {
  const start = readme.indexOf(`## ${heading}`);
  if (start === -1) throw new Error(`README has no "${heading}" section`);
  const end = readme.indexOf('\n## ', start + 3);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const commands: string[] = [];
  for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block[1].replace(/\\\n\s*/g, '').split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (command !== '' && !command.startsWith('#')) commands.push(command);
    }
  }
  return commands;
}

export interface TourCommand {
  /** As the README writes it. */
  command: string;
  code: number | null;
  stdout: string;
  output: string;
  ms: number;
}

export interface Tour {
  dir: string;
  env: NodeJS.ProcessEnv;
  setUp: TourCommand[];
  tour: TourCommand[];
  setUpMs: number;
  tourMs: number;
}

/**
 * Runs the README's set-up (its `audition demo`; the install is this checkout's) and then its tour, in order, and
 * gives `inspect` the folder and what each command did; the folder is removed after. A `<run_id>` placeholder takes
 * the id the tour's last successful `run --lane` printed.
 */
export async function withReadmeTour<T>(inspect: (tour: Tour) => T | Promise<T>, commandTimeoutMs = 120_000): Promise<T> {
  const { dir, cleanup } = makeTempDir();
  try {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const folder of ['lanes', 'suites', 'sweeps', 'experiments', 'config', 'docs']) cpSync(join(ROOT, folder), join(dir, folder), { recursive: true });
    for (const link of ['node_modules', 'bin']) symlinkSync(join(ROOT, link), join(dir, link));
    const bin = join(dir, '.bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'npx'), [
      '#!/bin/sh',
      `if [ "$1" = audition ]; then shift; exec node ${AUDITION_BIN} "$@"; fi`,
      `if [ "$1" = zx ]; then shift; exec ${join(ROOT, 'node_modules', '.bin', 'zx')} "$@"; fi`,
      'echo "npx $1: not part of this tour" >&2; exit 127',
      '',
    ].join('\n'));
    chmodSync(join(bin, 'npx'), 0o755);
    const env: NodeJS.ProcessEnv = { PATH: `${bin}:${process.env['PATH'] ?? ''}`, HOME: dir, USER: 'tour' };
    let lastRunId = 'run_id';
    const runAll = (commands: readonly string[]): { ran: TourCommand[]; ms: number } => {
      const started = Date.now();
      const ran = commands.map((written) => {
        const at = Date.now();
        const r = spawnSync('sh', ['-c', written.replaceAll('<run_id>', lastRunId)], { cwd: dir, env, encoding: 'utf8', timeout: commandTimeoutMs });
        if (/ run --lane /.test(written) && r.status === 0) lastRunId = r.stdout.trim().split('\n').at(-1) ?? lastRunId;
        return { command: written, code: r.status, stdout: r.stdout, output: `${r.stdout}${r.stderr}`, ms: Date.now() - at };
      });
      return { ran, ms: Date.now() - started };
    };
    const setUp = runAll(shellCommands(readme, 'Set up').filter((c) => c.includes('audition demo')).map((c) => c.replace(/^npm install && /, '')));
    const tour = runAll(shellCommands(readme, 'A quick tour'));
    return await inspect({ dir, env, setUp: setUp.ran, tour: tour.ran, setUpMs: setUp.ms, tourMs: tour.ms });
  } finally {
    cleanup();
  }
}
