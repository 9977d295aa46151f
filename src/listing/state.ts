/**
 * The state of one list (the front page, a section, …) that a response needs
 * before anything is rendered: the index version for its ETag, the list's
 * size for its page count, and when a scheduled article next appears. One
 * small D1 query, reused by an isolate for `ISOLATE_CACHE_TTL` seconds (never
 * past the next scheduled time), and kept as the last good copy for when D1 fails.
 */
import { ByteLimitedCache } from '../storage/lru.ts';
import { usable, type Refreshable } from '../storage/memo.ts';
import { StorageUnavailableError } from '../storage/failures.ts';
import type { IndexDb } from '../storage/index-db.ts';
import { listStateStatement } from '../storage/index-sql.ts';

export interface ListState {
  /** Changes whenever the index changes, or a scheduled article becomes visible. */
  version: string;
  /** When the index last changed, or the newest article appeared. */
  lastModified?: number;
  /** When the newest visible article was first published. */
  latestPublished?: number;
  /** When the next scheduled article appears: nothing may be cached as current past it. */
  nextScheduled?: number;
  /** Visible entries in the list. */
  total: number;
  /** A tag's or author's name as written, and an author's own link. */
  name: string | null;
  url: string | null;
}

interface StateRow {
  version: number;
  changedAt: number;
  latest: number | null;
  next: number | null;
  total: number;
  name: string | null;
  url: string | null;
  future: number;
}

export interface StateOptions {
  /** Seconds an isolate reuses a state; 0 reads it on every request. */
  isolateTtl: number;
  timeoutMs: number;
}

/** Lists whose state an isolate keeps: small entries, bounded by count. */
export const LIST_STATES_KEPT = 2000;

const states = new ByteLimitedCache<Refreshable & { state: ListState }>(LIST_STATES_KEPT);

/**
 * The state of `list` at `now`. When D1 fails, the last state this isolate
 * read comes back marked stale; with none, the {@link StorageUnavailableError}
 * propagates.
 */
export async function loadListState(db: IndexDb, list: string, now: number, options: StateOptions): Promise<{ state: ListState; stale: boolean }> {
  const memo = states.get(list);
  if (memo && usable(memo, options.isolateTtl * 1000, options.timeoutMs, now) && !(memo.state.nextScheduled! <= now)) {
    return { state: memo.state, stale: false };
  }
  if (memo) memo.refreshingSince = now;
  let row: StateRow | null;
  try {
    row = await db.first<StateRow>(listStateStatement(list, now));
  } catch (error) {
    if (error instanceof StorageUnavailableError && memo) {
      console.warn(JSON.stringify({ event: 'storage.stale', what: `list ${list || 'front'}`, error: error.message }));
      return { state: memo.state, stale: true };
    }
    throw error;
  } finally {
    if (memo) memo.refreshingSince = undefined;
  }
  if (!row) throw new StorageUnavailableError('D1 index has no state row: apply the migrations (see the README)');
  const state = stateFromRow(row, now);
  states.set(list, { state, readAt: now }, 1);
  return { state, stale: false };
}

function stateFromRow(row: StateRow, now: number): ListState {
  const changed = Math.max(row.changedAt, row.latest ?? 0);
  return {
    version: `v${row.version}-${row.latest ?? 0}`,
    // D1's clock and the worker's may differ a little; never claim a change after now.
    ...(changed > 0 && { lastModified: Math.min(changed, now) }),
    ...(row.latest !== null && { latestPublished: row.latest }),
    ...(row.next !== null && { nextScheduled: row.next }),
    total: Math.max(0, row.total - row.future),
    name: row.name,
    url: row.url,
  };
}
