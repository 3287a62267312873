import { commandHint, commandRenderer } from '../../lib/commandHint.ts';
import { CliError } from '../../lib/errors.ts';
import { writeFileAtomic } from '../../lib/files.ts';
import { renderJsonLines, renderTable } from '../../lib/table.ts';
import { targetsOfDial } from '../../core/dialFields.ts';
import { flattenDials, type DialName, type Dials, type Lane } from '../../core/lane.ts';
import { formatLaneFile, readLaneFile, toRosterEntry } from '../../pipelines/lanes/laneFile.ts';
import { deleteLane, describeKeptFlags, importLanes, requireLane, setLaneFlags, updateLane } from '../../pipelines/lanes/manage.ts';
import { openLaneStore } from '../../pipelines/lanes/openStore.ts';
import { parseLane } from '../../pipelines/lanes/parse.ts';
import { parseSlug } from '../../pipelines/lanes/slug.ts';
import type { LaneStore } from '../../pipelines/lanes/store.ts';
import { countRunsByLane } from '../../pipelines/runlog/discover.ts';
import type { Command, CommandContext, OptionSpec, Options } from '../command.ts';
import { JSON_OPTION, RUNS_DIR_OPTION, runsDirOf } from './shared.ts';

const NUMERIC_DIALS = {
  temperature: 'temperature',
  'top-p': 'top_p',
  'min-p': 'min_p',
  'frequency-penalty': 'frequency_penalty',
  'presence-penalty': 'presence_penalty',
  'repetition-penalty': 'repetition_penalty',
} as const;
const INTEGER_DIALS = { 'top-k': 'top_k', 'thinking-budget': 'thinking_budget_tokens', 'max-output-tokens': 'max_output_tokens', seed: 'seed' } as const;

/** Which targets take a dial, for its help line: the shorter of the list that takes it and the list that does not (core/dialFields.ts). */
function takenBy(dial: DialName): string {
  const { taking, refusing } = targetsOfDial(dial);
  if (refusing.length === 0) return '';
  return taking.length <= refusing.length ? ` (${taking.map((t) => t.label).join(', ')})` : ` (not ${refusing.map((t) => t.label).join(', ')})`;
}

const DIAL_OPTIONS: Record<string, OptionSpec> = {
  temperature: { type: 'string', value: 'T', description: `sampling temperature${takenBy('temperature')}` },
  'top-p': { type: 'string', value: 'P', description: `nucleus sampling top_p${takenBy('top_p')}` },
  'top-k': { type: 'string', value: 'K', description: `top_k${takenBy('top_k')}` },
  'min-p': { type: 'string', value: 'P', description: `min_p${takenBy('min_p')}` },
  'frequency-penalty': { type: 'string', value: 'X', description: `frequency_penalty (-2..2)${takenBy('frequency_penalty')}` },
  'presence-penalty': { type: 'string', value: 'X', description: `presence_penalty (-2..2)${takenBy('presence_penalty')}` },
  'repetition-penalty': { type: 'string', value: 'X', description: `repetition_penalty${takenBy('repetition_penalty')}` },
  'reasoning-effort': { type: 'string', value: 'LEVEL', description: `minimal|low|medium|high${takenBy('reasoning_effort')}` },
  thinking: { type: 'boolean', description: `extended thinking, needs --thinking-budget${takenBy('thinking')}` },
  'thinking-budget': { type: 'string', value: 'N', description: 'extended-thinking budget in tokens (≥ 1024, below --max-output-tokens)' },
  'max-output-tokens': { type: 'string', value: 'N', description: `output token limit${takenBy('max_output_tokens')}` },
  seed: { type: 'string', value: 'N', description: `sampling seed${takenBy('seed')}` },
};

const LANE_OPTIONS: Record<string, OptionSpec> = {
  alias: { type: 'string', value: 'NAME', description: 'short model name used in the slug (e.g. 4o, gpt5, sonnet)' },
  provider: { type: 'string', value: 'NAME', description: 'openai | anthropic | ollama | openai-compatible | sim' },
  model: { type: 'string', value: 'ID', description: "the provider's model id (e.g. gpt-4o, claude-sonnet-4-5)" },
  backend: { type: 'string', value: 'NAME', description: 'for openai-compatible: deepseek | moonshot | openrouter | vllm | together | generic' },
  'base-url': { type: 'string', value: 'URL', description: 'API base URL (vLLM, self-hosted, proxies)' },
  'api-key-env': { type: 'string', value: 'VAR', description: 'environment variable that holds the API key' },
  notes: { type: 'string', value: 'TEXT', description: 'free-text notes' },
};

/** Dials given as flags, validated as numbers; the provider rules run later in parseLane. */
function dialsFromFlags(options: Options): Dials {
  const dials: Dials = {};
  for (const [flag, dial] of Object.entries(NUMERIC_DIALS)) {
    const v = options.number(flag);
    if (v !== undefined) dials[dial] = v;
  }
  for (const [flag, dial] of Object.entries(INTEGER_DIALS)) {
    const v = options.integer(flag);
    if (v !== undefined) dials[dial] = v;
  }
  const effort = options.string('reasoning-effort');
  if (effort !== undefined) dials.reasoning_effort = effort as Dials['reasoning_effort'];
  if (options.flag('thinking')) dials.thinking = true;
  return dials;
}

async function withStore<T>(context: CommandContext, readOnly: boolean, body: (store: LaneStore, runsDir: string) => Promise<T>): Promise<T> {
  const runsDir = runsDirOf(context.options, context.env);
  const store = await openLaneStore(runsDir, { readOnly, env: context.env, command: commandRenderer(context.env) });
  try {
    return await body(store, runsDir);
  } finally {
    await store.close();
  }
}

function laneRow(lane: Lane, runs?: number): Record<string, string | number | boolean> {
  const row: Record<string, string | number | boolean> = { slug: lane.slug, provider: lane.backend === undefined ? lane.provider : `${lane.provider}/${lane.backend}`, model: lane.model, active: lane.active, visible: lane.visible };
  if (runs !== undefined) row['runs'] = runs;
  return row;
}

export const lanesAdd: Command = {
  name: 'lanes add',
  summary: 'register a lane (provider, model, dials); checked against the provider rules',
  description: 'The slug is built from the alias and the dials. Give a SLUG to read alias and dials from it, then add the dials a slug does not carry (max output tokens, thinking budget, seed).',
  positionals: [{ name: 'SLUG', description: 'optional: a slug such as kimi.t0-75.tp0-95.fp0-2 to take alias and dials from', optional: true }],
  options: { ...LANE_OPTIONS, ...DIAL_OPTIONS, inactive: { type: 'boolean', description: 'register without allowing new runs' }, hidden: { type: 'boolean', description: 'register hidden from rankings and reports' }, ...RUNS_DIR_OPTION },
  examples: [
    'audition lanes add --alias 4o --provider openai --model gpt-4o --temperature 0.7 --max-output-tokens 4096',
    'audition lanes add gpt5.reason-min --provider openai --model gpt-5 --max-output-tokens 36000',
    'audition lanes add sonnet.t1-0.ext --provider anthropic --model claude-sonnet-4-5 --thinking-budget 28000 --max-output-tokens 36000',
  ],
  async run(context) {
    const { options, positionals } = context;
    let fromSlug: { alias: string; dials: Dials } | undefined;
    if (positionals[0] !== undefined) {
      try {
        fromSlug = parseSlug(positionals[0]);
      } catch (error) {
        throw new CliError((error as Error).message);
      }
    }
    const flagDials = dialsFromFlags(options);
    for (const [dial, value] of Object.entries(flagDials)) {
      const fromSlugValue = fromSlug?.dials[dial as keyof Dials];
      if (fromSlugValue !== undefined && fromSlugValue !== value) throw new CliError(`the slug sets ${dial} to ${String(fromSlugValue)} but --${dial.replaceAll('_', '-')} says ${String(value)}`, { hint: 'give the dial once' });
    }
    const alias = options.string('alias') ?? fromSlug?.alias;
    if (alias === undefined) throw new CliError('--alias is required (or give a SLUG)', { hint: 'e.g. --alias 4o' });
    const raw: Record<string, unknown> = {
      alias,
      provider: options.required('provider', 'one of openai, anthropic, ollama, openai-compatible, sim'),
      model: options.required('model', "the provider's model id"),
      dials: { ...(fromSlug?.dials ?? {}), ...flagDials },
      active: !options.flag('inactive'),
      visible: !options.flag('hidden'),
    };
    for (const [flag, key] of [['backend', 'backend'], ['base-url', 'base_url'], ['api-key-env', 'api_key_env'], ['notes', 'notes']] as const) {
      const v = options.string(flag);
      if (v !== undefined) raw[key] = v;
    }
    const lane = parseLane(raw, { field: 'lane' });
    if (positionals[0] !== undefined && positionals[0] !== lane.slug) throw new CliError(`the dials give slug ${lane.slug}, not ${positionals[0]}`);
    await withStore(context, false, (store) => store.add(lane));
    context.output.info(`added lane ${lane.slug}`);
    context.output.data(lane.slug);
  },
};

export const lanesList: Command = {
  name: 'lanes list',
  summary: 'list lanes with active/visible flags and how many runs use each',
  options: { active: { type: 'boolean', description: 'only lanes that may run' }, visible: { type: 'boolean', description: 'only lanes shown in reports' }, ...JSON_OPTION, ...RUNS_DIR_OPTION },
  async run(context) {
    const { options, output } = context;
    const rows = await withStore(context, true, async (store, runsDir) => {
      const [lanes, runs] = await Promise.all([store.list(), countRunsByLane(runsDir)]);
      return lanes
        .filter((l) => (!options.flag('active') || l.active) && (!options.flag('visible') || l.visible))
        .map((l) => (options.flag('json') ? { ...toRosterEntry(l), runs: runs.get(l.slug) ?? 0 } : laneRow(l, runs.get(l.slug) ?? 0)));
    });
    output.data(options.flag('json') ? renderJsonLines(rows as Record<string, never>[]) : renderTable(rows as Record<string, string | number | boolean>[], ['slug', 'provider', 'model', 'active', 'visible', 'runs']));
  },
};

export const lanesShow: Command = {
  name: 'lanes show',
  summary: 'show one lane in full',
  positionals: [{ name: 'SLUG', description: 'the lane' }],
  options: { ...JSON_OPTION, ...RUNS_DIR_OPTION },
  async run(context) {
    const lane = await withStore(context, true, (store) => requireLane(store, context.positionals[0], commandRenderer(context.env)));
    if (context.options.flag('json')) {
      context.output.data(JSON.stringify(lane));
      return;
    }
    const { dials, ...rest } = lane;
    const rows = [...Object.entries(rest), ...Object.entries(flattenDials(dials)).map(([k, v]) => [`dials.${k}`, v] as const)].map(([field, value]) => ({ field, value: String(value) }));
    context.output.data(renderTable(rows));
  },
};

export const lanesSet: Command = {
  name: 'lanes set',
  summary: 'change a lane’s model or dials (its slug follows the dials)',
  description: 'A change of dials changes the slug; that is refused while runs use the lane, so past results keep their meaning.',
  positionals: [{ name: 'SLUG', description: 'the lane to change' }],
  options: { ...LANE_OPTIONS, ...DIAL_OPTIONS, unset: { type: 'string', value: 'DIAL', multiple: true, description: 'remove a dial (e.g. --unset top_p)' }, ...RUNS_DIR_OPTION },
  async run(context) {
    const { options, positionals } = context;
    const flagDials = dialsFromFlags(options);
    const lane = await withStore(context, false, (store, runsDir) =>
      updateLane(store, runsDir, positionals[0], (draft) => {
        const dials: Record<string, unknown> = { ...draft.dials, ...flagDials };
        for (const name of options.list('unset')) {
          if (!(name in dials)) throw new CliError(`--unset ${name}: the lane has no such dial set`);
          delete dials[name];
        }
        const next: Record<string, unknown> = { ...draft, dials };
        for (const [flag, key] of [['alias', 'alias'], ['provider', 'provider'], ['model', 'model'], ['backend', 'backend'], ['base-url', 'base_url'], ['api-key-env', 'api_key_env'], ['notes', 'notes']] as const) {
          const v = options.string(flag);
          if (v !== undefined) next[key] = v;
        }
        return next;
      }, commandRenderer(context.env)),
    );
    context.output.info(lane.slug === positionals[0] ? `updated lane ${lane.slug}` : `updated lane ${positionals[0]} → ${lane.slug}`);
    context.output.data(lane.slug);
  },
};

function flagCommand(name: string, summary: string, flags: { active: boolean; visible: boolean }): Command {
  return {
    name,
    summary,
    positionals: [{ name: 'SLUG', description: 'the lane', variadic: true }],
    options: { ...RUNS_DIR_OPTION },
    async run(context) {
      await withStore(context, false, async (store) => {
        for (const slug of context.positionals) await setLaneFlags(store, slug, flags, commandRenderer(context.env));
      });
      context.output.info(`${flags.active ? 'enabled' : 'disabled'} ${context.positionals.join(', ')}; the next '${commandHint(context.env, ['aggregate'])}' ${flags.visible ? 'shows' : 'hides'} ${context.positionals.length > 1 ? 'them' : 'it'} in rankings and INSIGHTS.md`);
    },
  };
}

export const lanesEnable = flagCommand('lanes enable', 'make a lane active and visible again', { active: true, visible: true });
export const lanesDisable = flagCommand('lanes disable', 'soft-delete a lane: inactive and hidden, history kept', { active: false, visible: false });

export const lanesDelete: Command = {
  name: 'lanes delete',
  summary: 'remove a lane that no run log references',
  description: "Refused while any run log references the lane (use 'lanes disable' instead). Never deletes a log.",
  positionals: [{ name: 'SLUG', description: 'the lane' }],
  options: { ...RUNS_DIR_OPTION },
  async run(context) {
    await withStore(context, false, (store, runsDir) => deleteLane(store, runsDir, context.positionals[0], commandRenderer(context.env)));
    context.output.info(`deleted lane ${context.positionals[0]}`);
  },
};

export const lanesImport: Command = {
  name: 'lanes import',
  summary: 'add or update lanes from a YAML/JSON roster',
  description: 'Every lane is validated (including the provider rules) before any is written: a roster with one bad lane changes nothing.',
  positionals: [{ name: 'FILE', description: 'a .yaml/.yml/.json roster: {lanes: [{alias, provider, model, dials: {…}}, …]}' }],
  options: { ...RUNS_DIR_OPTION },
  examples: ['audition lanes import lanes/production.yaml'],
  async run(context) {
    const lanes = await readLaneFile(context.positionals[0]);
    const result = await withStore(context, false, (store) => importLanes(store, lanes));
    for (const line of describeKeptFlags(result.keptFlags, commandRenderer(context.env))) context.output.info(line);
    context.output.info(`imported ${lanes.length} lanes from ${context.positionals[0]}: ${result.added} new, ${result.updated} updated`);
  },
};

export const lanesExport: Command = {
  name: 'lanes export',
  summary: 'write the registry as a YAML/JSON roster',
  options: { out: { type: 'string', value: 'FILE', description: 'write to FILE (format from its extension) instead of stdout' }, format: { type: 'string', value: 'yaml|json', description: 'format for stdout', default: 'yaml' }, ...RUNS_DIR_OPTION },
  async run(context) {
    const lanes = await withStore(context, true, (store) => store.list());
    const out = context.options.string('out');
    const format = out !== undefined ? (out.endsWith('.json') ? 'json' : 'yaml') : context.options.string('format') === 'json' ? 'json' : 'yaml';
    const text = formatLaneFile(lanes, format);
    if (out === undefined) context.output.data(text);
    else {
      await writeFileAtomic(out, text);
      context.output.info(`wrote ${lanes.length} lanes to ${out}`);
    }
  },
};
