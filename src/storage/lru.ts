/**
 * A least-recently-used map with a byte budget, for caches that live in
 * isolate memory. Workers get 128 MB per isolate; the budget keeps a cache
 * from taking more than its share whatever the traffic.
 */
export class ByteLimitedCache<V> {
  #maxBytes: number;
  #bytes = 0;
  // Map iteration order is insertion order, so the first key is the least recently used.
  readonly #entries = new Map<string, { value: V; bytes: number }>();

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get maxBytes(): number {
    return this.#maxBytes;
  }

  /** Changes the budget, evicting at once if the cache is now over it. */
  resize(maxBytes: number): void {
    this.#maxBytes = maxBytes;
    this.#evict();
  }

  /** Bytes currently held. */
  get bytes(): number {
    return this.#bytes;
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

  /** Stores `value`, evicting the least recently used entries to stay within budget. Values larger than the whole budget are not kept. */
  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.#maxBytes) return;
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    this.#evict();
  }

  #evict(): void {
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
