import { InputError, formatLocation, type Location } from '../../lib/errors.ts';
import type { EvidencePassage } from './types.ts';

const SPACE = /\s+/g;
/** Characters of context either side of the first difference, in a conflict message. */
const EXCERPT = 30;

/** Passage text as definitions are compared: runs of whitespace count as one space, ends trimmed. */
export function normalizePassageText(text: string): string {
  return text.replace(SPACE, ' ').trim();
}

function excerptAt(text: string, at: number): string {
  const start = Math.max(0, at - EXCERPT);
  const end = Math.min(text.length, at + EXCERPT);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

interface Definition {
  passage: EvidencePassage;
  normalized: string;
  where: Location;
}

/**
 * A suite's passages by id. A passage id names one text throughout a suite,
 * wherever it is defined (a passage record, an item's inline evidence, a CSV
 * passage table), so items that share an id share the passage object too.
 */
export class PassageTable {
  private readonly byId = new Map<string, Definition>();

  /** Adds a definition and returns the passage items should hold; the same id with other text is an InputError naming both places. */
  define(id: string, text: string, where: Location): EvidencePassage {
    const normalized = normalizePassageText(text);
    const first = this.byId.get(id);
    if (first === undefined) {
      const passage = { id, text };
      this.byId.set(id, { passage, normalized, where });
      return passage;
    }
    if (first.normalized !== normalized) {
      const at = firstDifference(first.normalized, normalized);
      throw new InputError(
        where,
        `passage ${id} has a different text than at ${formatLocation(first.where)} (from character ${at + 1}: ${JSON.stringify(excerptAt(normalized, at))} here, ${JSON.stringify(excerptAt(first.normalized, at))} there)`,
        'a passage id names one text throughout the suite: give the other text its own id',
      );
    }
    return first.passage;
  }

  /** The passage defined under an id, if any. */
  get(id: string): EvidencePassage | undefined {
    return this.byId.get(id)?.passage;
  }
}
