import { readFileSync } from 'node:fs';
import { commandHint, commandRenderer } from '../lib/commandHint.ts';
import { CliError, ExitCode } from '../lib/errors.ts';
import { createProcessOutput, type Output } from '../lib/output.ts';
import { TempFiles } from '../lib/tempFiles.ts';
import { formatHelp, parseCommandArgs, type Command } from './command.ts';

interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

/** Every command, loaded lazily so `audition --help` and each command start fast. */
const COMMANDS: Record<string, CommandEntry> = {
  demo: { summary: 'the whole job offline: sim lanes × the bundled suite → logs → DuckDB → ranking and INSIGHTS.md', load: async () => (await import('./commands/demo.ts')).demo },
  sweep: { summary: 'run many lanes over one suite; completed runs are skipped, partial ones resumed', load: async () => (await import('./commands/sweep.ts')).sweep },
  run: { summary: 'run one lane over a suite and write one run log', load: async () => (await import('./commands/run.ts')).run },
  estimate: { summary: 'project the requests, tokens and cost of a run before starting it', load: async () => (await import('./commands/estimate.ts')).estimate },
  'suite check': { summary: 'validate a suite file (JSONL or CSV) and print its counts', load: async () => (await import('./commands/suite.ts')).suiteCheck },
  'experiment run': { summary: 'run a generate-then-grade experiment from a YAML/JSON file', load: async () => (await import('./commands/experiment.ts')).experimentRun },
  aggregate: { summary: 'turn every run log into one DuckDB database, rankings with intervals, exports and INSIGHTS.md', load: async () => (await import('./commands/aggregate.ts')).aggregateCommand },
  sql: { summary: 'query the aggregated database: SQL text, or a named query from sql/queries/ with --param', load: async () => (await import('./commands/sql.ts')).sqlCommand },
  plan: { summary: 'how many items and replicates a comparison of two lanes needs to detect a difference', load: async () => (await import('./commands/plan.ts')).planCommand },
  status: { summary: "show a run's progress from its log: done, errors, pending, cache hits, rate so far, ETA", load: async () => (await import('./commands/status.ts')).statusCommand },
  'lanes add': { summary: 'register a lane (provider, model, dials); checked against the provider rules', load: async () => (await import('./commands/lanes.ts')).lanesAdd },
  'lanes list': { summary: 'list lanes with active/visible flags and how many runs use each', load: async () => (await import('./commands/lanes.ts')).lanesList },
  'lanes show': { summary: 'show one lane in full', load: async () => (await import('./commands/lanes.ts')).lanesShow },
  'lanes set': { summary: 'change a lane’s model or dials (its slug follows the dials)', load: async () => (await import('./commands/lanes.ts')).lanesSet },
  'lanes enable': { summary: 'make a lane active and visible again', load: async () => (await import('./commands/lanes.ts')).lanesEnable },
  'lanes disable': { summary: 'soft-delete a lane: inactive and hidden, history kept', load: async () => (await import('./commands/lanes.ts')).lanesDisable },
  'lanes delete': { summary: 'remove a lane that no run log references', load: async () => (await import('./commands/lanes.ts')).lanesDelete },
  'lanes import': { summary: 'add or update lanes from a YAML/JSON roster', load: async () => (await import('./commands/lanes.ts')).lanesImport },
  'lanes export': { summary: 'write the registry as a YAML/JSON roster', load: async () => (await import('./commands/lanes.ts')).lanesExport },
};

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function formatOverview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = [
    'audition — run LLM evaluation sweeps across many lanes and query the logs with DuckDB',
    '',
    'usage: audition COMMAND [options]',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`),
    '',
    "Run 'audition COMMAND --help' for a command's options.",
    'Exit codes: 0 ok, 1 unexpected error, 2 usage or bad input, 3 stopped by a threshold or budget, 130 interrupted (Ctrl-C).',
  ];
  return lines.join('\n') + '\n';
}

/** The subcommands of a group (`lanes` → add, list, …) with their summaries, in table order; empty when `group` is none. */
function subcommandsOf(group: string): [string, string][] {
  return Object.entries(COMMANDS).filter(([name]) => name.startsWith(`${group} `)).map(([name, entry]) => [name.slice(group.length + 1), entry.summary]);
}

/** One line a subcommand, generated from the command table. */
function formatSubcommands(subcommands: readonly [string, string][]): string[] {
  const width = Math.max(...subcommands.map(([name]) => name.length));
  return subcommands.map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`);
}

function formatGroupHelp(group: string, subcommands: readonly [string, string][]): string {
  const lines = [`usage: audition ${group} SUBCOMMAND [options]`, '', 'subcommands:', ...formatSubcommands(subcommands), '', `Run 'audition ${group} SUBCOMMAND --help' for a subcommand's options.`];
  return lines.join('\n') + '\n';
}

const HELP_WORDS: ReadonlySet<string> = new Set(['--help', '-h', 'help']);

/** Finds the longest command name that prefixes argv (`lanes add` before `lanes`). */
function resolveCommand(argv: string[]): { name: string; rest: string[] } | null {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    if (COMMANDS[name] !== undefined) return { name, rest: argv.slice(words) };
  }
  return null;
}

function reportError(error: unknown, output: Output, debug: boolean): number {
  if (error instanceof CliError) {
    // the user asked to stop: not an error
    output.info(error.exitCode === ExitCode.interrupted ? error.message : `error: ${error.message}`);
    if (error.hint !== undefined) output.info(`hint: ${error.hint}`);
    if (debug && error.stack !== undefined) output.info(error.stack);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  output.info(`unexpected error: ${message}`);
  output.info(debug && error instanceof Error && error.stack !== undefined ? error.stack : 'run again with --debug for the stack trace');
  return ExitCode.unexpected;
}

/** Runs one CLI invocation in `env` (the process's, from bin/audition.mjs) and returns its exit code. Only this layer turns errors into output. */
export async function main(argv: string[], env: NodeJS.ProcessEnv, output: Output = createProcessOutput({ env, debug: argv.includes('--debug') })): Promise<number> {
  const debug = argv.includes('--debug');
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    output.data(formatOverview());
    return argv.length === 0 ? ExitCode.usage : ExitCode.ok;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    output.data(packageVersion());
    return ExitCode.ok;
  }
  const resolved = resolveCommand(argv);
  if (resolved === null) {
    const subcommands = subcommandsOf(argv[0]);
    if (subcommands.length === 0) {
      output.info(`error: unknown command ${JSON.stringify(argv[0])}`);
      output.info(`hint: run '${commandHint(env, ['--help'])}' for the list of commands`);
      return ExitCode.usage;
    }
    if (argv.length === 1 || HELP_WORDS.has(argv[1])) {
      output.data(formatGroupHelp(argv[0], subcommands));
      return ExitCode.ok;
    }
    output.info(`error: unknown command ${JSON.stringify(`${argv[0]} ${argv[1]}`)}`);
    output.info([`hint: '${commandHint(env, [argv[0]])}' takes one of these subcommands:`, ...formatSubcommands(subcommands)].join('\n'));
    return ExitCode.usage;
  }
  const controller = new AbortController();
  const tempFiles = new TempFiles();
  let command: Command | undefined;
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts++;
    if (interrupts === 1 && command?.onInterrupt !== undefined) {
      output.info(`\n${signal}: ${command.onInterrupt} (press Ctrl-C again to stop at once)`);
      controller.abort(new CliError(`interrupted by ${signal}`, { exitCode: ExitCode.interrupted }));
    } else {
      // interrupt what is running (a DuckDB statement would hold the exit back), then exit; no cleanup runs after
      // this exit, so the temp files are removed now
      if (!controller.signal.aborted) controller.abort(new CliError(`interrupted by ${signal}`, { exitCode: ExitCode.interrupted }));
      tempFiles.removeAllSync();
      output.info(`\n${signal}: stopped at once`);
      process.exit(ExitCode.interrupted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    command = await COMMANDS[resolved.name].load();
    const { options, positionals } = parseCommandArgs(command, resolved.rest, commandRenderer(env));
    if (options.flag('help')) {
      output.data(formatHelp(command));
      return ExitCode.ok;
    }
    const code = await command.run({ options, positionals, output, env, argv, signal: controller.signal, tempFiles });
    return code ?? ExitCode.ok;
  } catch (error) {
    return reportError(error, output, debug);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
