/**
 * How an option key is compared: trimmed and case-folded, so "b", " B" and
 * "B" name the same option. The suite loaders (JSONL and CSV) resolve the
 * gold answer with it and the answer parser resolves a model's choice with it.
 */
export function foldOptionKey(key: string): string {
  return key.trim().toUpperCase();
}

/** Folded key → the key as the suite declares it. */
export function indexOptionKeys(keys: readonly string[]): Map<string, string> {
  return new Map(keys.map((k) => [foldOptionKey(k), k]));
}
