/**
 * The Cron Trigger's reconciler: walks KV in key order, a bounded number of
 * pages per run, and makes the D1 index agree with it. Rows that are missing
 * or at another version are written, rows whose key is gone (or whose file no
 * longer parses) are removed. It keeps its place in D1, so each run resumes
 * where the last stopped, and a pass over the whole namespace completes over
 * as many runs as it takes.
 *
 * KV's metadata carries each file's content hash when `npm run publish` wrote
 * it, so comparing costs one `list` per 1,000 keys; a file is only read when
 * its key has no such metadata (a plain `wrangler kv key put`) or its hash
 * differs from the index's. Reads per run are bounded too.
 */
import type { KVNamespace } from '@cloudflare/workers-types';
import { parseArticle } from '../content/article.ts';
import { prepareBody } from '../content/markdown.ts';
import { StoredContentError } from '../storage/failures.ts';
import type { IndexDb } from '../storage/index-db.ts';
import { indexRow, type IndexRow } from '../storage/index-rows.ts';
import {
  RECONCILE_STATE_SQL, extendAnchorsStatement, indexedRangeStatement, listsToExtendStatement, removeSlugsStatements,
  saveReconcileStateStatement, splitGapsStatement, writeRowsStatements, type WriteContext,
} from '../storage/index-sql.ts';
import { getArticle, listArticleKeys, type KvReadOptions } from '../storage/kv.ts';

export interface ReconcileOptions {
  /** KV pages (up to 1,000 keys each) to check in this run. */
  pages: number;
  /** Article files this run may read. */
  reads: number;
  kvOptions: KvReadOptions;
  context: WriteContext;
}

export interface ReconcileReport {
  /** Article keys compared with the index. */
  checked: number;
  /** Files read because their metadata could not settle it. */
  read: number;
  /** Article rows written and removed (an editor's recent rows are left alone and not counted). */
  written: number;
  removed: number;
  /** Keys whose files are not valid articles (logged; their rows removed). */
  invalid: number;
  /** True when this run reached the end of the namespace (the next starts again from the top). */
  passCompleted: boolean;
}

interface Place {
  cursor: string | null;
  after: string;
}

/** One bounded run. Throws {@link StorageUnavailableError} when KV or D1 fails; the next run retries from the saved place. */
export async function reconcile(kv: KVNamespace, db: IndexDb, options: ReconcileOptions): Promise<ReconcileReport> {
  const saved = await db.first<{ cursor: string | null; after: string }>({ sql: RECONCILE_STATE_SQL, params: [] });
  let place: Place = { cursor: saved?.cursor ?? null, after: saved?.after ?? '' };
  const report: ReconcileReport = { checked: 0, read: 0, written: 0, removed: 0, invalid: 0, passCompleted: false };
  for (let page = 0; page < options.pages && !report.passCompleted; page++) {
    const step = await reconcilePage(kv, db, place, options, report);
    place = step.place;
    if (!step.finished) break; // out of reads: the next run resumes within this page
  }
  await db.write([saveReconcileStateStatement(place.cursor, place.after, report.passCompleted)]);
  await maintainAnchors(db);
  return report;
}

/** Lists extended per run, entries scanned per list, and gaps split per run: each run's anchor work is bounded. */
const EXTEND_LISTS = 20;
const EXTEND_ENTRIES = 100_000;
const SPLIT_GAPS = 50;

/**
 * Keeps deep pages bounded: extends the anchors of lists that grew past
 * their highest anchor without a writer doing it (a migration, an import
 * written before anchors existed), and splits gaps that backdated inserts
 * widened. Bounded work, in the Cron, never in a reader's request.
 */
async function maintainAnchors(db: IndexDb): Promise<void> {
  const lists = (await db.all<{ list: string }>(listsToExtendStatement(EXTEND_LISTS))).map((r) => r.list);
  await db.write([...(lists.length ? [extendAnchorsStatement(lists, EXTEND_ENTRIES)] : []), splitGapsStatement(SPLIT_GAPS)]);
}

/**
 * Reconciles the keys of one KV page after `place.after`. Returns where to go
 * on: the next page, or a key within this one when the read budget ran out.
 */
async function reconcilePage(
  kv: KVNamespace, db: IndexDb, place: Place, options: ReconcileOptions, report: ReconcileReport,
): Promise<{ place: Place; finished: boolean }> {
  const page = await listArticleKeys(kv, place.cursor, options.kvOptions);
  const last = page.cursor === null ? null : page.lastKey;
  const rows = await db.all<{ slug: string; hash: string; revision: number | null }>(indexedRangeStatement(place.after, last));
  const indexed = new Map(rows.map((r) => [r.slug, r]));
  const inKv = new Set<string>();
  const write: IndexRow[] = [];
  const remove: string[] = [];
  let through = place.after;
  let finished = true;
  for (const key of page.keys) {
    if (key.slug <= place.after) continue;
    const current = indexed.get(key.slug);
    if (key.hash === null || key.hash !== current?.hash) {
      if (report.read >= options.reads) {
        finished = false;
        break;
      }
      report.read++;
      const row = await rowFromKv(kv, key.slug, options.kvOptions);
      if (row === 'missing') {
        through = key.slug;
        continue; // deleted since the list: treated below like any key not in KV
      }
      if (row === 'invalid') report.invalid++;
      else if (row.hash !== current?.hash) write.push(row);
      if (row !== 'invalid') inKv.add(key.slug);
    } else {
      inKv.add(key.slug);
    }
    report.checked++;
    through = key.slug;
  }
  if (finished) through = page.lastKey ?? place.after;
  for (const slug of indexed.keys()) {
    const inRange = finished && page.cursor === null ? true : slug <= through;
    if (inRange && !inKv.has(slug)) remove.push(slug);
  }
  const writes = writeRowsStatements(write, options.context);
  const changes = await db.write([...writes, ...removeSlugsStatements(remove, options.context)]);
  // What actually changed (the first statement of each returns its rows): an editor's recent rows stay as they are.
  report.written += write.length ? changes[0]! : 0;
  report.removed += remove.length ? changes[writes.length]! : 0;
  if (!finished) return { place: { cursor: place.cursor, after: through }, finished };
  if (page.cursor === null) {
    report.passCompleted = true;
    return { place: { cursor: null, after: '' }, finished };
  }
  return { place: { cursor: page.cursor, after: through }, finished };
}

/** The index row for what KV holds under `slug` now. */
async function rowFromKv(kv: KVNamespace, slug: string, kvOptions: KvReadOptions): Promise<IndexRow | 'missing' | 'invalid'> {
  let stored;
  try {
    stored = await getArticle(kv, slug, kvOptions);
  } catch (error) {
    if (!(error instanceof StoredContentError)) throw error;
    console.error(JSON.stringify({ event: 'index.skip', slug, error: error.message }));
    return 'invalid';
  }
  if (!stored) return 'missing';
  const parsed = parseArticle(stored.source, slug);
  if (!parsed.ok) {
    console.error(JSON.stringify({ event: 'index.skip', slug, problems: parsed.problems }));
    return 'invalid';
  }
  return indexRow({ ...parsed.article, slug }, stored.hash, prepareBody(parsed.article.body).text(), stored.revision);
}
