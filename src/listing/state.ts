/**
 * The state of one list (the front page, a section, …) that a response needs
 * before anything is rendered: the index version for its ETag, the list's
 * size for its page count, and when a scheduled article next appears. One
 * small D1 query, reused by an isolate for `ISOLATE_CACHE_TTL` seconds (never
 * past the next scheduled time; the editors' commands purge again once that
 * long has passed since their write), and kept as the last good copy for
 * when D1 fails (the isolate memo, `storage/memo.ts`).
 */
import { CACHE_BOUNDS } from '../caches.ts';
import { Memo } from '../storage/memo.ts';
import { StorageUnavailableError } from '../storage/failures.ts';
import type { HeldConfigFile } from '../articles/freshness.ts';
import type { IndexDb } from '../storage/index-db.ts';
import { listStateStatement, type Statement } from '../storage/index-sql.ts';

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
  /** The fronts file as an editor last published it, for the fronts' freshness check. */
  frontsFile: HeldConfigFile;
  /** Corrections of non-draft articles in the index (a correction dated later than now included). */
  corrections: number;
}

interface StateRow {
  corrections: number;
  frontsHash: string | null;
  frontsRevision: number | null;
  frontsWrittenAt: number | null;
  dbNow: number;
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
  const memo = { now, ttlMs: isolateTtl * 1000, refreshLimitMs: timeoutMs, expiresAt: (state: ListState) => state.nextScheduled };
  const read = await states.get(list, memo, async () => stateFromRow(await db.first<StateRow>(listStateStatement(list, now)), now));
  return { state: read.value, stale: read.stale };
}

/**
 * An index that answers each read (and each batch of reads) in one batch with `list`'s state, so what a
 * document shows and the version its ETag names come from one view of the
 * index. `states()` lists the state each read saw.
 */
export function withListState(db: IndexDb, list: string, now: number): { db: IndexDb; states: () => ListState[] } {
  const seen: ListState[] = [];
  const read = async (statement: Statement): Promise<unknown[]> => {
    const [state, rows] = await db.batch([listStateStatement(list, now), statement]);
    seen.push(stateFromRow((state?.[0] ?? null) as StateRow | null, now));
    return rows ?? [];
  };
  return {
    db: {
      all: <T>(statement: Statement) => read(statement) as Promise<T[]>,
      first: async <T>(statement: Statement) => ((await read(statement))[0] ?? null) as T | null,
      batch: async (statements) => {
        const [state, ...rows] = await db.batch([listStateStatement(list, now), ...statements]);
        seen.push(stateFromRow((state?.[0] ?? null) as StateRow | null, now));
        return rows;
      },
      write: (statements) => db.write(statements),
    },
    states: () => seen,
  };
}

function stateFromRow(row: StateRow | null, now: number): ListState {
  if (!row) throw new StorageUnavailableError('D1 index has no state row: apply the migrations (see the README)');
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
    frontsFile: { hash: row.frontsHash, revision: row.frontsRevision, writtenAt: row.frontsWrittenAt, dbNow: row.dbNow },
    corrections: Math.max(0, row.corrections),
  };
}
