/**
 * Every SQL statement the archive index runs, in one place. Pure: statements
 * are text plus parameters. The worker binds them to its D1 binding; the
 * editors' commands inline them into one SQL file for `wrangler d1 execute`
 * (see {@link toSqlScript}), so publish and the worker write rows identically.
 *
 * Writes take their rows as one JSON parameter and spread it with
 * `json_each`, so a whole chunk of articles is a handful of statements however
 * many tags and authors it has (D1 allows 100 bound parameters per statement),
 * and the SQL file of a large import stays small in statement count.
 */
import type { IndexRow } from './index-rows.ts';
import { BANNERS_KEY } from './kv-format.ts';

export interface Statement {
  sql: string;
  params: (string | number | null)[];
}

/**
 * Who writes: an editor's command is the authority; a reader request or the
 * reconciler only reports what it read from KV, which may lag an editor's
 * write at that location. So for `trustMs` after an editor wrote a row (or
 * removed an article), readers' writes to it are ignored.
 */
export interface WriteContext {
  writer: 'editor' | 'reader';
  now: number;
  trustMs: number;
}

/** Rows a reader-side write may no longer change: written by an editor at or after this time. */
function cutoff(context: WriteContext): number {
  return context.writer === 'editor' ? Number.MAX_SAFE_INTEGER : context.now - context.trustMs;
}

/** The slugs of the rows that now hold exactly the version in `?1` (so derived rows follow only what was written). */
const WRITTEN = `SELECT a.slug FROM json_each(?1) r JOIN articles a ON a.slug = r.value->>'slug' AND a.hash = r.value->>'hash'`;

/**
 * Writes (inserts or updates) articles' rows and brings their list entries,
 * list names and tombstones in line. Idempotent: a row already at the same
 * hash is left alone, so re-running changes nothing. The first statement
 * returns the slug of every article row it wrote.
 */
export function writeRowsStatements(rows: IndexRow[], context: WriteContext): Statement[] {
  if (rows.length === 0) return [];
  const until = cutoff(context);
  const full = JSON.stringify(rows.map(({ lists: _l, names: _n, ...row }) => row));
  const lists = JSON.stringify(rows.map((r) => ({ slug: r.slug, hash: r.hash, publishedAt: r.publishedAt, lists: r.lists })));
  const names = JSON.stringify(rows.filter((r) => r.names.length).map((r) => ({ slug: r.slug, hash: r.hash, names: r.names })));
  const statements: Statement[] = [
    {
      sql: `INSERT INTO articles (slug, hash, title, date, updated, published_at, modified_at, standfirst, section, language, draft, image_src, image_alt, indexed_at, indexed_by)
SELECT r.value->>'slug', r.value->>'hash', r.value->>'title', r.value->>'date', r.value->>'updated', r.value->>'publishedAt', r.value->>'modifiedAt',
  r.value->>'standfirst', r.value->>'section', r.value->>'language', r.value->>'draft', r.value->>'imageSrc', r.value->>'imageAlt', ?3, ?4
FROM json_each(?1) r
WHERE NOT EXISTS (SELECT 1 FROM removed WHERE removed.slug = r.value->>'slug' AND removed.removed_at >= ?2)
ON CONFLICT (slug) DO UPDATE SET hash = excluded.hash, title = excluded.title, date = excluded.date, updated = excluded.updated,
  published_at = excluded.published_at, modified_at = excluded.modified_at, standfirst = excluded.standfirst, section = excluded.section,
  language = excluded.language, draft = excluded.draft, image_src = excluded.image_src, image_alt = excluded.image_alt,
  indexed_at = excluded.indexed_at, indexed_by = excluded.indexed_by
WHERE articles.hash IS NOT excluded.hash AND (articles.indexed_by = 'reader' OR articles.indexed_at < ?2)
RETURNING slug`,
      params: [full, until, context.now, context.writer],
    },
    {
      // Entries the new version is no longer on (a changed section, date, tag or author).
      sql: `DELETE FROM list_entries WHERE slug IN (${WRITTEN})
AND NOT EXISTS (SELECT 1 FROM json_each(?1) r, json_each(r.value->'lists') l
  WHERE r.value->>'slug' = list_entries.slug AND l.value = list_entries.list AND r.value->>'publishedAt' = list_entries.published_at)`,
      params: [lists],
    },
    {
      sql: `INSERT OR IGNORE INTO list_entries (list, published_at, slug)
SELECT l.value, a.published_at, a.slug
FROM json_each(?1) r JOIN articles a ON a.slug = r.value->>'slug' AND a.hash = r.value->>'hash', json_each(r.value->'lists') l`,
      params: [lists],
    },
    {
      sql: `DELETE FROM removed WHERE slug IN (${WRITTEN})`,
      params: [lists],
    },
  ];
  statements.push(...searchStatements(rows));
  if (names !== '[]') {
    statements.push({
      sql: `INSERT INTO lists (list, name, url)
SELECT n.value->>'list', n.value->>'name', n.value->>'url'
FROM json_each(?1) r JOIN articles a ON a.slug = r.value->>'slug' AND a.hash = r.value->>'hash', json_each(r.value->'names') n
WHERE true
ON CONFLICT (list) DO UPDATE SET name = excluded.name, url = coalesce(excluded.url, lists.url)
WHERE lists.name IS NOT excluded.name OR (excluded.url IS NOT NULL AND lists.url IS NOT excluded.url)`,
      params: [names],
    });
  }
  return statements;
}

/**
 * A search row's rowid: the first-published second times 2^28, plus the
 * article id (ids stay far below 2^28). Rowids then run in publication order
 * from the year 881 to 3059, and never collide.
 */
const ROWID_SCALE = 268_435_456;
const SEARCH_ROWID = `(a.published_at / 1000) * ${ROWID_SCALE} + a.id`;

/** Replaces the search rows of the articles written (drafts get none). */
function searchStatements(rows: IndexRow[]): Statement[] {
  const written = JSON.stringify(rows.map((r) => ({ slug: r.slug, hash: r.hash })));
  const texts = JSON.stringify(rows.filter((r) => !r.draft).map((r) => ({ slug: r.slug, hash: r.hash, text: r.text })));
  return [
    {
      sql: `DELETE FROM article_search WHERE rowid IN (
  SELECT a.search_rowid FROM json_each(?1) r JOIN articles a ON a.slug = r.value->>'slug' AND a.hash = r.value->>'hash'
  WHERE a.search_rowid IS NOT NULL)`,
      params: [written],
    },
    {
      sql: `INSERT INTO article_search (rowid, title, standfirst, body, slug)
SELECT ${SEARCH_ROWID}, a.title, coalesce(a.standfirst, ''), r.value->>'text', a.slug
FROM json_each(?1) r JOIN articles a ON a.slug = r.value->>'slug' AND a.hash = r.value->>'hash'
WHERE a.draft = 0`,
      params: [texts],
    },
    {
      sql: `UPDATE articles AS a SET search_rowid = CASE WHEN a.draft = 0 THEN ${SEARCH_ROWID} END WHERE a.slug IN (${WRITTEN})`,
      params: [written],
    },
  ];
}

/**
 * Removes articles from the index. An editor's removal also leaves a
 * tombstone, so a reader still seeing the old file in a KV cache cannot put
 * the article back; a reader-side removal (the reconciler found the key gone)
 * does not touch rows an editor wrote recently. The first statement returns
 * the slug of every article row it removed.
 */
export function removeSlugsStatements(slugs: string[], context: WriteContext): Statement[] {
  if (slugs.length === 0) return [];
  const list = JSON.stringify(slugs);
  const statements: Statement[] = [
    {
      sql: `DELETE FROM articles WHERE slug IN (SELECT value FROM json_each(?1)) AND (indexed_by = 'reader' OR indexed_at < ?2) RETURNING slug`,
      params: [list, cutoff(context)],
    },
    {
      sql: `DELETE FROM list_entries WHERE slug IN (SELECT value FROM json_each(?1))
AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.slug = list_entries.slug)`,
      params: [list],
    },
  ];
  if (context.writer === 'editor') {
    statements.push({
      sql: `INSERT INTO removed (slug, removed_at) SELECT value, ?2 FROM json_each(?1) WHERE true
ON CONFLICT (slug) DO UPDATE SET removed_at = excluded.removed_at`,
      params: [list, context.now],
    });
  }
  return statements;
}

/**
 * Empties the index, for a rebuild from KV. Entries go first, so the triggers
 * that maintain counts and anchors have little left to do.
 */
export function clearIndexStatements(): Statement[] {
  return ['article_search', 'list_entries', 'articles', 'lists', 'page_anchors', 'sitemap_months', 'removed'].map((table) => ({
    sql: `DELETE FROM ${table}`,
    params: [],
  }));
}

/** Every indexed slug with its hash, for an editor's command to plan what changed. */
export const INDEXED_HASHES_SQL = 'SELECT slug, hash FROM articles';

// Reads. `?now` is always a parameter: the clock is the caller's, so tests can move it.

/** What a card in a list shows. Lists run newest first, ties broken by slug, descending. */
const CARD_COLUMNS = `a.slug, a.hash, a.title, a.date, a.updated, a.standfirst, a.section, a.language,
  a.image_src AS imageSrc, a.image_alt AS imageAlt`;

/** What a list page needs before rendering: the index version for its ETag, and the list's size and name. */
export function listStateStatement(list: string, now: number): Statement {
  return {
    sql: `SELECT s.version, s.changed_at AS changedAt,
  (SELECT published_at FROM list_entries WHERE list = '' AND published_at <= ?2 ORDER BY published_at DESC LIMIT 1) AS latest,
  (SELECT published_at FROM list_entries WHERE list = '' AND published_at > ?2 ORDER BY published_at LIMIT 1) AS next,
  coalesce(l.total, 0) AS total, l.name, l.url,
  (SELECT count(*) FROM list_entries WHERE list = ?1 AND published_at > ?2) AS future
FROM index_state s LEFT JOIN lists l ON l.list = ?1
WHERE s.id = 1`,
    params: [list, now],
  };
}

/** Anchors sit every this many entries of a list, counted from its oldest end. */
export const ANCHOR_STEP = 1000;

/** Up to `limit` entries of a list, newest first, skipping the newest `offset`: for the first pages. */
export function newestEntriesStatement(list: string, now: number, offset: number, limit: number): Statement {
  return {
    sql: `SELECT ${CARD_COLUMNS}
FROM list_entries e JOIN articles a ON a.slug = e.slug
WHERE e.list = ?1 AND e.published_at <= ?2
ORDER BY e.published_at DESC, e.slug DESC LIMIT ?3 OFFSET ?4`,
    params: [list, now, limit, offset],
  };
}

/**
 * Entries `start` to `start + count - 1` of a list counted from its oldest
 * end, oldest first: a seek to the nearest anchor at or below `start`, then
 * fewer than {@link ANCHOR_STEP} rows skipped. Without an anchor it starts
 * from the oldest entry (ordinal 0). Each row also says which anchor was used,
 * so the caller can add the ones that were missing.
 */
export function oldestEntriesStatement(list: string, start: number, count: number): Statement {
  return {
    sql: `WITH anchor AS (
  SELECT ordinal, published_at, slug FROM page_anchors WHERE list = ?1 AND ordinal <= ?2
  UNION ALL SELECT 0, ${Number.MIN_SAFE_INTEGER}, ''
  ORDER BY ordinal DESC LIMIT 1
)
SELECT ${CARD_COLUMNS}, (SELECT ordinal FROM anchor) AS anchorOrdinal
FROM list_entries e JOIN articles a ON a.slug = e.slug
WHERE e.list = ?1 AND (e.published_at, e.slug) >= (SELECT published_at, slug FROM anchor)
ORDER BY e.published_at, e.slug LIMIT ?3 OFFSET ?2 - (SELECT ordinal FROM anchor)`,
    params: [list, start, count],
  };
}

/**
 * Adds the anchors of a list from the one at `fromOrdinal` up to `toOrdinal`,
 * in one scan. It does nothing if that anchor has since been dropped (an
 * entry below it came or went), so it can never write a wrong ordinal.
 */
export function buildAnchorsStatement(list: string, fromOrdinal: number, toOrdinal: number): Statement {
  return {
    sql: `INSERT OR IGNORE INTO page_anchors (list, ordinal, published_at, slug)
SELECT ?1, ordinal, published_at, slug FROM (
  SELECT ?2 + row_number() OVER (ORDER BY e.published_at, e.slug) - 1 AS ordinal, e.published_at, e.slug
  FROM list_entries e, (
    SELECT published_at, slug FROM page_anchors WHERE list = ?1 AND ordinal = ?2
    UNION ALL SELECT ${Number.MIN_SAFE_INTEGER}, '' WHERE ?2 = 0
  ) AS anchor
  WHERE e.list = ?1 AND (e.published_at, e.slug) >= (anchor.published_at, anchor.slug)
  ORDER BY e.published_at, e.slug LIMIT ?3 - ?2 + 1
) WHERE ordinal > 0 AND ordinal % ${ANCHOR_STEP} = 0`,
    params: [list, fromOrdinal, toOrdinal],
  };
}

/** Months of the front page's list, newest first, up to `month` (no month of only scheduled articles). */
export function sitemapMonthsStatement(month: string): Statement {
  return {
    sql: 'SELECT month, total, lastmod FROM sitemap_months WHERE total > 0 AND month <= ?1 ORDER BY month DESC',
    params: [month],
  };
}

/**
 * A query is ranked among at most this many of its most recent matches: the
 * cost of a search is bounded, however common its words (a word in every
 * article of 10⁵ costs 50 ms to rank in full, and ten times that at 10⁶).
 */
export const SEARCH_CANDIDATES = 5000;

/**
 * One page of search results for an FTS5 `match` expression (built only by
 * `searchQuery`, never from reader input directly), best first: bm25 with the
 * title weighted above the standfirst, and the standfirst above the body,
 * among the {@link SEARCH_CANDIDATES} most recent visible matches. Each row
 * carries a snippet of the body with matches between U+0002 and U+0003, and
 * the number of candidates.
 */
export function searchStatement(match: string, now: number, offset: number, limit: number): Statement {
  return {
    sql: `WITH candidates AS (
  SELECT rowid AS id, bm25(article_search, 10.0, 4.0, 1.0, 0.0) AS score FROM article_search
  WHERE article_search MATCH ?1 AND rowid < (?2 + 1) * ${ROWID_SCALE}
  ORDER BY rowid DESC LIMIT ${SEARCH_CANDIDATES}
), page AS (
  SELECT id, score FROM candidates ORDER BY score, id DESC LIMIT ?3 OFFSET ?4
)
SELECT ${CARD_COLUMNS}, snippet(article_search, 2, char(2), char(3), '…', 24) AS snippet,
  (SELECT count(*) FROM candidates) AS total
FROM page p CROSS JOIN article_search ON article_search.rowid = p.id JOIN articles a ON a.slug = article_search.slug
WHERE article_search MATCH ?1
ORDER BY p.score, p.id DESC`,
    params: [match, Math.floor(now / 1000), limit, offset],
  };
}

/**
 * The sections, topics and authors with at least one visible article, by list
 * key (`section:…`, then `tag:…`, then `author:…`), at most `limit`.
 */
export function browsableListsStatement(now: number, limit: number): Statement {
  return {
    sql: `SELECT l.list FROM lists l
WHERE l.total > 0 AND (l.list > 'author:' AND l.list < 'author;' OR l.list > 'section:' AND l.list < 'section;' OR l.list > 'tag:' AND l.list < 'tag;')
  AND EXISTS (SELECT 1 FROM list_entries e WHERE e.list = l.list AND e.published_at <= ?1)
ORDER BY CASE substr(l.list, 1, 3) WHEN 'sec' THEN 0 WHEN 'tag' THEN 1 ELSE 2 END, l.list
LIMIT ?2`,
    params: [now, limit],
  };
}

/** One part of one month's sitemap: visible articles published in [from, to), oldest first. */
export function monthEntriesStatement(from: number, to: number, now: number, offset: number, limit: number): Statement {
  return {
    sql: `SELECT a.slug, a.modified_at AS modifiedAt
FROM list_entries e JOIN articles a ON a.slug = e.slug
WHERE e.list = '' AND e.published_at >= ?1 AND e.published_at < ?2 AND e.published_at <= ?3
ORDER BY e.published_at, e.slug LIMIT ?4 OFFSET ?5`,
    params: [from, to, now, limit, offset],
  };
}

/** Visible articles first published after `since`, newest first: the news sitemap. */
export function recentEntriesStatement(since: number, now: number, limit: number): Statement {
  return {
    sql: `SELECT a.slug, a.title, a.date, a.language, a.hash
FROM list_entries e JOIN articles a ON a.slug = e.slug
WHERE e.list = '' AND e.published_at > ?1 AND e.published_at <= ?2
ORDER BY e.published_at DESC, e.slug DESC LIMIT ?3`,
    params: [since, now, limit],
  };
}

/**
 * What the index holds for one slug: its row's hash and who wrote it when, and
 * when an editor last removed it (all null when there is neither); and the
 * banner copy's version as an editor last published it (null when never).
 * One small read, which every article response that may be cached makes.
 */
export function indexedVersionStatement(slug: string): Statement {
  return {
    sql: `SELECT a.hash, a.indexed_by AS indexedBy, a.indexed_at AS indexedAt, r.removed_at AS removedAt,
  c.hash AS bannersHash, c.written_at AS bannersWrittenAt
FROM (SELECT ?1 AS slug) s LEFT JOIN articles a ON a.slug = s.slug LEFT JOIN removed r ON r.slug = s.slug
  LEFT JOIN config_files c ON c.key = ?2`,
    params: [slug, BANNERS_KEY],
  };
}

/** Records that an editor published the banner copy at `hash` (in the same execution as the rows). */
export function configFileStatement(key: string, hash: string, now: number): Statement {
  return {
    sql: `INSERT INTO config_files (key, hash, written_at) VALUES (?1, ?2, ?3)
ON CONFLICT (key) DO UPDATE SET hash = excluded.hash, written_at = excluded.written_at`,
    params: [key, hash, now],
  };
}

/**
 * What the index holds of some slugs, for purging: each row's hash, first
 * publication, draft flag and the lists it is on, so a change purges the
 * lists an article leaves as well as those it joins.
 */
export function indexedListsStatement(slugs: string[]): Statement {
  return {
    sql: `SELECT a.slug, a.hash, a.published_at AS publishedAt, a.draft,
  (SELECT json_group_array(e.list) FROM list_entries e WHERE e.slug = a.slug) AS lists
FROM articles a WHERE a.slug IN (SELECT value FROM json_each(?1))`,
    params: [JSON.stringify(slugs)],
  };
}

/** Whether a reader-side write may change a row (or revive a removed article), given what {@link indexedVersionStatement} returned. */
export function readerMayWrite(held: IndexedVersion | null, context: WriteContext): boolean {
  const until = cutoff(context);
  if (held?.removedAt != null && held.removedAt >= until) return false;
  return !(held?.hash != null && held.indexedBy === 'editor' && held.indexedAt! >= until);
}

export interface IndexedVersion {
  hash: string | null;
  indexedBy: 'editor' | 'reader' | null;
  indexedAt: number | null;
  removedAt: number | null;
  bannersHash: string | null;
  bannersWrittenAt: number | null;
}

/** Indexed slugs and hashes in a key range (after `after`, up to `through`; no upper bound when null). */
export function indexedRangeStatement(after: string, through: string | null): Statement {
  return {
    sql: 'SELECT slug, hash FROM articles WHERE slug > ?1 AND (?2 IS NULL OR slug <= ?2) ORDER BY slug',
    params: [after, through],
  };
}

/** Where the reconciler stopped last time. */
export const RECONCILE_STATE_SQL =
  'SELECT reconcile_cursor AS cursor, reconcile_after AS after, reconcile_passes AS passes, reconciled_at AS reconciledAt FROM index_state WHERE id = 1';

export function saveReconcileStateStatement(cursor: string | null, after: string, passCompleted: boolean, now: number): Statement {
  return {
    sql: `UPDATE index_state SET reconcile_cursor = ?1, reconcile_after = ?2,
  reconcile_passes = reconcile_passes + ?3, reconciled_at = CASE WHEN ?3 = 1 THEN ?4 ELSE reconciled_at END
WHERE id = 1`,
    params: [cursor, after, passCompleted ? 1 : 0, now],
  };
}

/**
 * Statements as one SQL script for `wrangler d1 execute --file`, which runs a
 * file as a single transaction. Parameters are inlined as SQLite literals.
 */
export function toSqlScript(statements: Statement[]): string {
  return statements.map((s) => `${inlineStatement(s)};\n`).join('');
}

/** One statement with its parameters inlined as SQLite literals, for `wrangler d1 execute --command`. */
export function inlineStatement({ sql, params }: Statement): string {
  // Only the statement text is scanned for placeholders, never a value put in.
  return sql.replace(/\?(\d+)/g, (_, n: string) => sqlLiteral(params[Number(n) - 1]));
}

/** A value as a SQLite literal. Text is quoted with `'` doubled; NUL cannot be written, so it is refused. */
export function sqlLiteral(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
    return String(value);
  }
  if (value.includes('\u0000')) throw new Error('text with a NUL character cannot go into SQL');
  return `'${value.replaceAll("'", "''")}'`;
}
