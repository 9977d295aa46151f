/**
 * The isolate memo: what a request read from storage, reused by later
 * requests for a while and kept as the last good copy for when storage fails.
 * Articles' versions, lists' states and banner copy all go through it, so the
 * refresh rule, the stale-copy rule and their log event are written once.
 *
 * Workers cannot share a promise between requests: I/O belongs to the request
 * that started it, and another request awaiting it fails with "Cannot perform
 * I/O on behalf of a different request". So when an entry expires under load,
 * concurrent requests do not wait on one shared read. The first one refreshes;
 * the others keep using what the memo holds until that refresh lands, or until
 * it has taken longer than a storage call may (its request may have been cancelled).
 */
import { logStale, StorageUnavailableError } from './failures.ts';
import { LruCache } from './lru.ts';

/** One remembered read. */
export interface Refreshable {
  readAt: number;
  /** Set while a request is reading a newer value. */
  refreshingSince?: number;
}

/** True while `entry` is fresh, or while someone else's refresh of it is under way. */
export function usable(entry: Refreshable, ttlMs: number, refreshLimitMs: number, now = Date.now()): boolean {
  // A read from "the future" (the clock stepped back) is treated as old, never as fresh for ever.
  const age = now - entry.readAt;
  if (age >= 0 && age < ttlMs) return true;
  return entry.refreshingSince !== undefined && now - entry.refreshingSince < refreshLimitMs;
}

export interface MemoOptions<V> {
  now: number;
  /** How long a read is reused; 0 reads every time. */
  ttlMs: number;
  /** How long another request's refresh may take before this one reads too: a storage call's timeout. */
  refreshLimitMs: number;
  /** When a value stops being current whatever its age (a scheduled article appears). */
  expiresAt?: (value: V) => number | undefined;
  /** Whether a remembered value can still be used (what it points to may have been evicted). */
  keep?: (value: V) => boolean;
}

export type MemoResult<V> =
  | { value: V; stale: false }
  /** Storage failed, and this is the last value read before. */
  | { value: V; stale: true; error: StorageUnavailableError };

export class Memo<V> {
  readonly #entries: LruCache<Refreshable & { value: V }>;
  readonly name: string;

  /** `name` is what the log calls it; `capacity` bounds how many keys it remembers. */
  constructor(name: string, capacity: number) {
    this.name = name;
    this.#entries = new LruCache(capacity);
  }

  /**
   * The value for `key`: from memory while it is fresh (see
   * {@link MemoOptions}), else from `load`, which gets the previous value so
   * it can keep it when nothing changed. When `load` finds storage
   * unavailable and there is a previous value, that comes back marked stale,
   * with one `storage.stale` log line; with none, the error propagates.
   */
  async get(key: string, options: MemoOptions<V>, load: (previous: V | undefined) => Promise<V>): Promise<MemoResult<V>> {
    const entry = this.#entries.get(key);
    if (entry && (options.keep?.(entry.value) ?? true)) {
      const expiresAt = options.expiresAt?.(entry.value);
      const expired = expiresAt !== undefined && expiresAt <= options.now;
      if (!expired && usable(entry, options.ttlMs, options.refreshLimitMs, options.now)) return { value: entry.value, stale: false };
    }
    if (entry) entry.refreshingSince = options.now;
    let value: V;
    try {
      value = await load(entry?.value);
    } catch (error) {
      if (entry) entry.refreshingSince = undefined;
      if (error instanceof StorageUnavailableError && entry) {
        logStale(this.name, key, error);
        return { value: entry.value, stale: true, error };
      }
      throw error;
    }
    this.#entries.set(key, { value, readAt: options.now });
    return { value, stale: false };
  }

  /** Forgets everything (tests that rewrite storage under the isolate). */
  clear(): void {
    this.#entries.clear();
  }
}
