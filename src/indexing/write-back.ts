/**
 * Serving an article keeps the index honest: an article uploaded with a plain
 * `wrangler kv key put`, or changed that way, gets its index row when a reader
 * asks for it, after the response has gone. The article route already read
 * the row to check what it serves (`articles/freshness.ts`), so only a
 * missing or outdated row costs anything: one write.
 */
import type { ArticleVersion } from '../articles/types.ts';
import { prepareBody } from '../content/markdown.ts';
import type { IndexDb } from '../storage/index-db.ts';
import { indexRow } from '../storage/index-rows.ts';
import { indexedVersionStatement, writeRowsStatements, type IndexedVersion, type WriteContext } from '../storage/index-sql.ts';

/**
 * Makes sure the index row of `version` is current, given what the index
 * held (`held`, read now when not given). The write itself decides whether a
 * reader may make it (`writeRowsStatements`): a missing row, or an older
 * revision, yes; a newer one, or an article an editor removed since, never.
 * `deferred` means the index kept what it had.
 */
export async function ensureIndexed(
  db: IndexDb, version: ArticleVersion, context: WriteContext, held?: IndexedVersion | null,
): Promise<'current' | 'written' | 'deferred'> {
  const row = held === undefined ? await db.first<IndexedVersion>(indexedVersionStatement(version.slug)) : held;
  if (row?.hash === version.hash) return 'current';
  const [written] = await db.write(writeRowsStatements([indexRow(version.meta, version.hash, prepareBody(version.body).text(), version.revision)], context));
  if (!written) return 'deferred';
  console.log(JSON.stringify({ event: 'index.write_back', slug: version.slug, hash: version.hash, revision: version.revision, was: row?.hash ?? null }));
  return 'written';
}
