/** Renders an audition command line for a hint, as the user can type it where they are. */
export type CommandRenderer = (args: readonly string[]) => string;

/** A word a POSIX shell reads as itself; anything else is single-quoted. `…` stands for what the user fills in. */
const PLAIN_WORD = /^[\w@%+=:,./…-]+$/u;

function quoteWord(word: string): string {
  return PLAIN_WORD.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * How the user started audition, from npm's environment: `npx audition` (npm exec, which npx runs, sets
 * npm_command=exec and npm_lifecycle_event=npx), `npm run audition --` (npm run sets npm_lifecycle_event to the
 * script's name), else the bin itself. https://docs.npmjs.com/cli/v11/using-npm/scripts#packagejson-vars
 */
function commandPrefix(env: NodeJS.ProcessEnv): string {
  if (env['npm_command'] === 'exec' || env['npm_lifecycle_event'] === 'npx') return 'npx audition';
  if (env['npm_lifecycle_event'] === 'audition') return 'npm run audition --';
  return 'audition';
}

/** The one rendering of a command for a hint: `args` (e.g. `['run', '--resume', id]`) after the prefix the user typed. */
export function commandHint(env: NodeJS.ProcessEnv, args: readonly string[]): string {
  return [commandPrefix(env), ...args.map(quoteWord)].join(' ');
}

/** A renderer bound to a command's environment, for library code that builds hints without reading env itself. */
export function commandRenderer(env: NodeJS.ProcessEnv): CommandRenderer {
  return (args) => commandHint(env, args);
}

/** `audition …`: hints of code called without a command's environment (tests, library use). */
export const PLAIN_COMMAND: CommandRenderer = commandRenderer({});
