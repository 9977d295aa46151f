/**
 * The state of one list (the front page, a section, …) that a response needs
 * before anything is rendered: the index version for its ETag, the list's
 * size for its page count, and when a scheduled article next appears. One
 * small D1 query, reused by an isolate for `ISOLATE_CACHE_TTL` seconds (never
 * past the next scheduled time), and kept as the last good copy for when D1
 * fails (the isolate memo, `storage/memo.ts`).
 */
import { CACHE_BOUNDS } from '../caches.ts';
import { Memo } from '../storage/memo.ts';
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
  /** The request's clock. */
  now: number;
  /** Seconds an isolate reuses a state; 0 reads it on every request. */
  isolateTtl: number;
  timeoutMs: number;
}

/** Each list's last read state; reused until ISOLATE_CACHE_TTL passes, and never past its next scheduled article. */
const states = new Memo<ListState>('list state', CACHE_BOUNDS.listStates);

/**
 * The state of `list` at `now`. When D1 fails, the last state this isolate
 * read comes back marked stale; with none, the {@link StorageUnavailableError}
 * propagates.
 */
export async function loadListState(db: IndexDb, list: string, { now, isolateTtl, timeoutMs }: StateOptions): Promise<{ state: ListState; stale: boolean }> {
  const read = await states.get(list, { now, ttlMs: isolateTtl * 1000, refreshLimitMs: timeoutMs, expiresAt: (state) => state.nextScheduled }, async () => {
    const row = await db.first<StateRow>(listStateStatement(list, now));
    if (!row) throw new StorageUnavailableError('D1 index has no state row: apply the migrations (see the README)');
    return stateFromRow(row, now);
  });
  return { state: read.value, stale: read.stale };
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
