/**
 * A least-recently-used map with a budget, for caches that live in isolate
 * memory. Workers get 128 MB per isolate; the budget keeps a cache from taking
 * more than its share whatever the traffic. Each entry has a cost: its size in
 * bytes for caches bounded by bytes, or 1 (the default) for caches bounded by
 * count. Every bound is declared in `src/caches.ts`.
 */
export class LruCache<V> {
  #capacity: number;
  #used = 0;
  // Map iteration order is insertion order, so the first key is the least recently used.
  readonly #entries = new Map<string, { value: V; cost: number }>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The budget: bytes, or entries when every cost is 1. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Changes the budget, evicting at once if the cache is now over it. */
  resize(capacity: number): void {
    this.#capacity = capacity;
    this.#evict();
  }

  /** The sum of the costs held. */
  get used(): number {
    return this.#used;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The keys held, least recently used first. */
  keys(): IterableIterator<string> {
    return this.#entries.keys();
  }

  /** Keys and values held, least recently used first, without counting as uses. */
  *entries(): IterableIterator<[string, V]> {
    for (const [key, entry] of this.#entries) yield [key, entry.value];
  }

  /** Whether `key` is held, without counting as a use. */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value`, evicting the least recently used entries to stay within budget. A value costing more than the whole budget is not kept. */
  set(key: string, value: V, cost = 1): void {
    this.delete(key);
    if (cost > this.#capacity) return;
    this.#entries.set(key, { value, cost });
    this.#used += cost;
    this.#evict();
  }

  #evict(): void {
    for (const [oldest, entry] of this.#entries) {
      if (this.#used <= this.#capacity) break;
      this.#entries.delete(oldest);
      this.#used -= entry.cost;
    }
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries.clear();
    this.#used = 0;
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#used -= entry.cost;
  }
}
