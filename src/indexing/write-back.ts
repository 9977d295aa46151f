/**
 * Serving an article keeps the index honest: an article uploaded with a plain
 * `wrangler kv key put`, or changed that way, gets its index row when a reader
 * first asks for it, after the response has gone. Each isolate checks each
 * version once (a small read, replicas allowed); only a missing or outdated
 * row costs a write.
 */
import type { ArticleVersion } from '../articles/types.ts';
import { CACHE_BOUNDS } from '../caches.ts';
import { LruCache } from '../storage/lru.ts';
import { prepareBody } from '../content/markdown.ts';
import type { IndexDb } from '../storage/index-db.ts';
import { indexRow } from '../storage/index-rows.ts';
import {
  indexedVersionStatement, readerMayWrite, writeRowsStatements, type IndexedVersion, type WriteContext,
} from '../storage/index-sql.ts';

// Versions this isolate knows to be indexed: slug → content hash.
const indexed = new LruCache<string>(CACHE_BOUNDS.indexedVersions);

/** Whether this isolate has already checked that `version` is in the index. */
export function knownIndexed(version: ArticleVersion): boolean {
  return indexed.get(version.slug) === version.hash;
}

/**
 * Makes sure the index row of `version` is current. A row an editor wrote,
 * or an article an editor removed, within the trust window is left alone:
 * this request may have read an older copy from KV's cache than the editor's.
 * Such a version is not remembered, so a later request checks again.
 */
export async function ensureIndexed(db: IndexDb, version: ArticleVersion, context: WriteContext): Promise<'current' | 'written' | 'deferred'> {
  if (knownIndexed(version)) return 'current';
  const held = await db.first<IndexedVersion>(indexedVersionStatement(version.slug));
  let outcome: 'current' | 'written' | 'deferred' = 'current';
  if (held?.hash !== version.hash) {
    if (!readerMayWrite(held, context)) return 'deferred';
    await db.write(writeRowsStatements([indexRow(version.meta, version.hash, prepareBody(version.body).text())], context));
    console.log(JSON.stringify({ event: 'index.write_back', slug: version.slug, hash: version.hash, was: held?.hash ?? null }));
    outcome = 'written';
  }
  indexed.set(version.slug, version.hash);
  return outcome;
}

/** Forgets what this isolate knows (tests that rewrite the index under it). */
export function forgetIndexedVersions(): void {
  indexed.clear();
}
