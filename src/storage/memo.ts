/**
 * When a memo in isolate memory may still be used.
 *
 * Workers cannot share a promise between requests: I/O belongs to the request
 * that started it, and another request awaiting it fails with "Cannot perform
 * I/O on behalf of a different request". So when a memo expires under load,
 * concurrent requests do not wait on one shared read. The first one refreshes;
 * the others keep using what the memo holds until that refresh lands, or until
 * it has taken longer than a KV call may (its request may have been cancelled).
 */
export interface Refreshable {
  readAt: number;
  /** Set while a request is reading a newer value. */
  refreshingSince?: number;
}

/** True while `memo` is fresh, or while someone else's refresh of it is under way. */
export function usable(memo: Refreshable, ttlMs: number, refreshLimitMs: number, now = Date.now()): boolean {
  if (now - memo.readAt < ttlMs) return true;
  return memo.refreshingSince !== undefined && now - memo.refreshingSince < refreshLimitMs;
}
