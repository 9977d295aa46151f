/**
 * What the D1 index says an editor last published for a slug (and for the
 * banner copy), for `freshness.ts` to judge what KV gave. Read from the
 * primary, and reused by an isolate for `ISOLATE_CACHE_TTL` like every other
 * memo: the editors' commands purge a second time once that long has passed
 * since their write (`cli/purger.ts`), so a page cached from a remembered
 * check is always purged again. Null when D1 cannot be read: KV is then trusted.
 */
import { CACHE_BOUNDS } from '../caches.ts';
import { StorageUnavailableError } from '../storage/failures.ts';
import type { IndexDb } from '../storage/index-db.ts';
import { indexedVersionStatement, type IndexedVersion } from '../storage/index-sql.ts';
import { Memo } from '../storage/memo.ts';

const checks = new Memo<IndexedVersion>('index version', CACHE_BOUNDS.articleVersions);

export async function loadIndexedVersion(
  db: IndexDb, slug: string, { now, isolateTtl, timeoutMs }: { now: number; isolateTtl: number; timeoutMs: number },
): Promise<IndexedVersion | null> {
  try {
    const read = await checks.get(slug, { now, ttlMs: isolateTtl * 1000, refreshLimitMs: timeoutMs }, async () => {
      const row = await db.first<IndexedVersion>(indexedVersionStatement(slug));
      if (!row) throw new StorageUnavailableError('D1 answered the version check with no row');
      return row;
    });
    return read.value;
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    console.warn(JSON.stringify({ event: 'index.version_unknown', slug, error: error.message }));
    return null;
  }
}
