/**
 * A process-wide memo of a pure function of immutable inputs: templates and SQL files shipped with the code,
 * package.json and the git commit the process was started from, a quantile of a (confidence, df). It is the one
 * kind of module-level state the house style allows (STYLE.md rule 15), because what it holds is exactly what a
 * fresh computation would give: no run, command or test can see that another used it, so none needs a reset.
 * Anything that depends on a caller's input, environment or clock belongs to an object the caller creates and
 * passes instead. test/architecture/state.test.ts allows module-level mutable state only as a Memo.
 */
export class Memo<K, V> {
  private readonly values = new Map<K, V>();

  /** `limit` bounds the entries; a full memo starts again empty (for keys without a small fixed range). */
  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  /** The value computed for `key` before, if any. */
  get(key: K): V | undefined {
    return this.values.get(key);
  }

  /** Keeps the value computed for `key` and returns it. */
  set(key: K, value: V): V {
    if (this.values.size >= this.limit) this.values.clear();
    this.values.set(key, value);
    return value;
  }
}
