import type { CommandRenderer } from '../../lib/commandHint.ts';
import { CliError } from '../../lib/errors.ts';
import { countRunsByLane } from '../runlog/discover.ts';
import type { Lane } from '../../core/lane.ts';
import { parseLane } from './parse.ts';
import type { LaneStore } from './store.ts';

/** Looks a lane up or fails with a hint listing near matches (`command` renders the commands hints suggest). */
export async function requireLane(store: LaneStore, slug: string, command: CommandRenderer): Promise<Lane> {
  const lane = await store.get(slug);
  if (lane !== null) return lane;
  const all = await store.list();
  const alias = slug.split('.')[0];
  const near = all.filter((l) => l.alias === alias || l.slug.startsWith(alias)).map((l) => l.slug).slice(0, 6);
  throw new CliError(`no lane ${slug}`, { hint: near.length > 0 ? `lanes with that alias: ${near.join(', ')}` : `see '${command(['lanes', 'list'])}'` });
}

/** Applies a patch to a lane and re-validates it; a slug change is refused while runs use the lane. */
export async function updateLane(store: LaneStore, runsDir: string, slug: string, patch: (lane: Lane) => unknown, command: CommandRenderer): Promise<Lane> {
  const current = await requireLane(store, slug, command);
  const draft = structuredClone(current) as Lane & Record<string, unknown>;
  delete draft.created_at;
  delete draft.updated_at;
  const { slug: _old, ...rest } = patch(draft) as Lane;
  const next = parseLane(rest, { field: 'lane' });
  if (next.slug !== slug) {
    const runs = (await countRunsByLane(runsDir)).get(slug) ?? 0;
    if (runs > 0) {
      throw new CliError(`lane ${slug} has ${runs} run(s); these dials would make it a different lane (${next.slug})`, {
        hint: `add ${next.slug} as a new lane and '${command(['lanes', 'disable', slug])}', so past results keep their meaning`,
      });
    }
  }
  await store.replace(slug, next);
  return next;
}

/** Soft delete (active=false, visible=false) or re-enable; history is kept either way. */
export async function setLaneFlags(store: LaneStore, slug: string, flags: { active: boolean; visible: boolean }, command: CommandRenderer): Promise<Lane> {
  const lane = await requireLane(store, slug, command);
  const next = { ...lane, ...flags };
  await store.replace(slug, next);
  return next;
}

/**
 * Adds or updates lanes from a roster, keeping the flags of a lane the user disabled or hid: a roster says what a
 * lane is, the registry whether it runs. Returns the counts and the slugs whose flags were kept.
 */
export async function importLanes(store: LaneStore, lanes: readonly Lane[]): Promise<{ added: number; updated: number; keptFlags: Lane[] }> {
  const current = new Map((await store.list()).map((l) => [l.slug, l]));
  const keptFlags: Lane[] = [];
  const merged = lanes.map((lane) => {
    const before = current.get(lane.slug);
    if (before === undefined || (before.active && before.visible)) return lane;
    keptFlags.push(before);
    return { ...lane, active: before.active, visible: before.visible };
  });
  return { ...(await store.upsert(merged)), keptFlags };
}

/** One line per lane whose flags an import kept, so the user knows why it still does not run. */
export function describeKeptFlags(lanes: readonly Lane[], command: CommandRenderer): string[] {
  return lanes.map((l) => `lane ${l.slug} stays ${l.active ? 'hidden' : 'disabled'} as you left it ('${command(['lanes', 'enable', l.slug])}' to run it again)`);
}

/** Hard delete: refused while any run log references the lane; never touches a log. */
export async function deleteLane(store: LaneStore, runsDir: string, slug: string, command: CommandRenderer): Promise<void> {
  await requireLane(store, slug, command);
  const runs = (await countRunsByLane(runsDir)).get(slug) ?? 0;
  if (runs > 0) {
    throw new CliError(`lane ${slug} is referenced by ${runs} run log(s) under ${runsDir}; refusing to delete it`, {
      hint: `use '${command(['lanes', 'disable', slug])}' to hide it and stop new runs while keeping its history`,
    });
  }
  await store.remove(slug);
}
