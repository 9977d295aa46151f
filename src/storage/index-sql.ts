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
import { BANNERS_KEY, FRONTS_KEY } from './kv-format.ts';

export interface Statement {
  sql: string;
  params: (string | number | null)[];
}

/**
 * Who writes, and how far readers' writes are trusted. An editor's command is
 * the authority: its write always claims the row. A reader's write-back and
 * the Cron reconciler only report what they read from KV, which may lag: they
 * may fill a missing row, or move a row to a newer revision, never to an
 * older one. A version with no revision (a plain `wrangler kv key put`) may
 * replace a published version's row only when the row was written more than
 * `trustMs` ago, by D1's own clock, once every location's KV cache has caught
 * up with it; another plain upload's row it may replace at once.
 */
export interface WriteContext {
  writer: 'editor' | 'reader' | 'cron';
  trustMs: number;
}

/** Now, by D1's clock, in ms: the one clock every write and the trust window are measured by. */
const D1_NOW = `CAST(unixepoch('subsec') * 1000 AS INTEGER)`;

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
  const editor = context.writer === 'editor' ? 1 : 0;
  const full = JSON.stringify(rows.map(({ lists: _l, names: _n, aliases: _a, corrections: _c, authors, ...row }) => ({ ...row, authors: JSON.stringify(authors) })));
  const lists = JSON.stringify(rows.map((r) => ({ slug: r.slug, hash: r.hash, publishedAt: r.publishedAt, lists: r.lists })));
  const names = JSON.stringify(rows.filter((r) => r.names.length).map((r) => ({ slug: r.slug, hash: r.hash, names: r.names })));
  const statements: Statement[] = [
    {
      // ?2: an editor (1) or not (0); ?3: the writer's label; ?4: the trust window.
      sql: `INSERT INTO articles (slug, hash, title, date, updated, published_at, modified_at, standfirst, section, language, draft, image_src, image_alt,
  authors, indexed_at, indexed_by, revision)
SELECT r.value->>'slug', r.value->>'hash', r.value->>'title', r.value->>'date', r.value->>'updated', r.value->>'publishedAt', r.value->>'modifiedAt',
  r.value->>'standfirst', r.value->>'section', r.value->>'language', r.value->>'draft', r.value->>'imageSrc', r.value->>'imageAlt',
  r.value->>'authors', ${D1_NOW}, ?3, r.value->>'revision'
FROM json_each(?1) r
WHERE ?2 = 1 OR NOT EXISTS (SELECT 1 FROM removed t WHERE t.slug = r.value->>'slug' AND (
  CASE WHEN r.value->>'revision' IS NOT NULL AND t.revision IS NOT NULL THEN t.revision >= r.value->>'revision'
  ELSE t.removed_at >= ${D1_NOW} - ?4 END))
ON CONFLICT (slug) DO UPDATE SET hash = excluded.hash, title = excluded.title, date = excluded.date, updated = excluded.updated,
  published_at = excluded.published_at, modified_at = excluded.modified_at, standfirst = excluded.standfirst, section = excluded.section,
  language = excluded.language, draft = excluded.draft, image_src = excluded.image_src, image_alt = excluded.image_alt,
  authors = excluded.authors, indexed_at = excluded.indexed_at, indexed_by = excluded.indexed_by, revision = excluded.revision
WHERE ?2 = 1 OR (articles.hash IS NOT excluded.hash AND CASE
  WHEN excluded.revision IS NOT NULL THEN articles.revision IS NULL OR excluded.revision > articles.revision
  -- A plain upload over another plain upload's row: the last one read wins, as KV's own last write does.
  ELSE (articles.revision IS NULL AND articles.indexed_by <> 'editor') OR articles.indexed_at < ${D1_NOW} - ?4 END)
RETURNING slug`,
      params: [full, editor, context.writer, context.trustMs],
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
  statements.push(...searchStatements(rows), ...lifecycleStatements(rows));
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
  statements.push(extendAnchorsStatement([...new Set(rows.flatMap((r) => r.lists))]));
  return statements;
}

/**
 * The aliases and corrections of the articles written. An alias points at
 * the article that lists it now; one that pointed at a slug which is itself
 * now an alias is moved on to the new article, so a chain of moves is always
 * one hop. A plain upload's aliases take effect like an editor's: KV's last
 * write wins there too.
 */
function lifecycleStatements(rows: IndexRow[]): Statement[] {
  const written = JSON.stringify(rows.map((r) => ({ slug: r.slug, hash: r.hash, aliases: r.aliases, corrections: r.corrections })));
  const aliases = `SELECT w.slug, x.value AS alias FROM (${WRITTEN}) w JOIN json_each(?1) r ON r.value->>'slug' = w.slug, json_each(r.value->'aliases') x`;
  return [
    {
      // A slug that is an article again is no longer an alias of another.
      sql: `DELETE FROM aliases WHERE alias IN (${WRITTEN})`,
      params: [written],
    },
    {
      sql: `DELETE FROM aliases WHERE slug IN (${WRITTEN}) AND (slug, alias) NOT IN (${aliases})`,
      params: [written],
    },
    {
      sql: `INSERT INTO aliases (alias, slug) SELECT alias, slug FROM (${aliases}) WHERE alias <> slug
ON CONFLICT (alias) DO UPDATE SET slug = excluded.slug WHERE aliases.slug IS NOT excluded.slug`,
      params: [written],
    },
    {
      // Aliases of a slug that has just become an alias itself: on to the article it now leads to.
      sql: `UPDATE aliases SET slug = m.slug FROM (${aliases}) m WHERE aliases.slug = m.alias AND aliases.alias <> m.slug`,
      params: [written],
    },
    {
      sql: `DELETE FROM corrections WHERE slug IN (${WRITTEN})`,
      params: [written],
    },
    {
      sql: `INSERT INTO corrections (slug, position, corrected_at, date, text)
SELECT w.slug, c.key, c.value->>'at', c.value->>'date', c.value->>'text'
FROM (${WRITTEN}) w JOIN json_each(?1) r ON r.value->>'slug' = w.slug, json_each(r.value->'corrections') c`,
      params: [written],
    },
  ];
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
 * Removes articles from the index. An editor's removal (at `revision`) always
 * applies and leaves a tombstone, so a reader still seeing the old file in a
 * KV cache cannot put the article back; a removal by the reconciler (it found
 * the key gone from KV's listing, which lags too) only touches rows written
 * more than the trust window ago. The first statement returns the slug of
 * every article row it removed.
 */
export function removeSlugsStatements(
  slugs: string[], context: WriteContext, revision: number | null = null, takedown: Takedown | null = null,
): Statement[] {
  if (slugs.length === 0) return [];
  const list = JSON.stringify(slugs);
  const editor = context.writer === 'editor';
  const gone = takedown ? 1 : 0, reason = takedown?.reason ?? null;
  const statements: Statement[] = [];
  if (editor && takedown) {
    // The old slugs that led to a taken-down article answer 410 as well (its row's deletion drops the aliases themselves).
    statements.push({
      sql: `INSERT INTO removed (slug, removed_at, revision, gone, reason)
SELECT alias, ${D1_NOW}, ?2, 1, ?3 FROM aliases WHERE slug IN (SELECT value FROM json_each(?1)) AND true
ON CONFLICT (slug) DO UPDATE SET removed_at = excluded.removed_at, revision = excluded.revision, gone = 1, reason = excluded.reason`,
      params: [list, revision, reason],
    });
  }
  statements.push(
    {
      sql: `DELETE FROM articles WHERE slug IN (SELECT value FROM json_each(?1)) AND (?2 = 1 OR indexed_at < ${D1_NOW} - ?3) RETURNING slug`,
      params: [list, editor ? 1 : 0, context.trustMs],
    },
    {
      sql: `DELETE FROM list_entries WHERE slug IN (SELECT value FROM json_each(?1))
AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.slug = list_entries.slug)`,
      params: [list],
    },
  );
  if (editor) {
    statements.push({
      sql: `INSERT INTO removed (slug, removed_at, revision, gone, reason) SELECT value, ${D1_NOW}, ?2, ?3, ?4 FROM json_each(?1) WHERE true
ON CONFLICT (slug) DO UPDATE SET removed_at = excluded.removed_at, revision = excluded.revision, gone = excluded.gone, reason = excluded.reason`,
      params: [list, revision, gone, reason],
    });
  }
  return statements;
}

/** A takedown: the removed slugs answer 410 Gone, with the editors' reason when they gave one. */
export interface Takedown {
  reason: string | null;
}

/**
 * The next revision, from D1's counter: one per editor's command run, taken
 * before it writes KV, so every version it writes is newer than any before.
 */
export const NEXT_REVISION_SQL = 'UPDATE index_state SET revision = revision + 1 WHERE id = 1 RETURNING revision';

/** The aliases among `slugs`, and the article each leads to: what a publish checks its slugs and aliases against. */
export function aliasesAmongStatement(slugs: string[]): Statement {
  return { sql: 'SELECT alias, slug FROM aliases WHERE alias IN (SELECT value FROM json_each(?1))', params: [JSON.stringify(slugs)] };
}

/** A media file as the `media` table records it (migration 0006). */
export interface MediaRow {
  name: string;
  hash: string;
  bytes: number;
  type: string;
  width: number | null;
  height: number | null;
  source: 'publish' | 'migrate';
}

/** The hashes the media table records for some names (at most a thousand at a time). */
export function mediaAmongStatement(names: string[]): Statement {
  return { sql: 'SELECT name, hash FROM media WHERE name IN (SELECT value FROM json_each(?1))', params: [JSON.stringify(names)] };
}

/** Records media stored in R2, one statement for them all. */
export function mediaRowsStatement(rows: MediaRow[]): Statement {
  return {
    sql: `INSERT INTO media (name, hash, bytes, type, width, height, stored_at, source)
SELECT j.value ->> 'name', j.value ->> 'hash', j.value ->> 'bytes', j.value ->> 'type', j.value ->> 'width', j.value ->> 'height', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), j.value ->> 'source'
FROM json_each(?1) AS j WHERE true
ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, bytes = excluded.bytes, type = excluded.type, width = excluded.width,
  height = excluded.height, stored_at = excluded.stored_at, source = excluded.source`,
    params: [JSON.stringify(rows)],
  };
}

/** Where an unfinished `npm run reindex` stopped: the last slug it finished, or null. */
export const REINDEX_STATE_SQL = 'SELECT reindex_after AS after FROM index_state WHERE id = 1';

/** Records how far a reindex got, in the same transaction as the batch it finished (null: it is done). */
export function saveReindexStateStatement(after: string | null): Statement {
  return { sql: 'UPDATE index_state SET reindex_after = ?1 WHERE id = 1', params: [after] };
}

/** Up to `limit` indexed slugs after `after`, in slug order, with their hash and revision: one page of a reindex's walk. */
export function indexedPageStatement(after: string, limit: number): Statement {
  return { sql: 'SELECT slug, hash, revision FROM articles WHERE slug > ?1 ORDER BY slug LIMIT ?2', params: [after, limit] };
}

/** Every indexed slug with its hash, for an editor's command to plan what changed. */
export const INDEXED_HASHES_SQL = 'SELECT slug, hash, revision FROM articles';

// Reads. `?now` is always a parameter: the clock is the caller's, so tests can move it.

/** What a card in a list shows. Lists run newest first, ties broken by slug, descending. */
const CARD_COLUMNS = `a.slug, a.hash, a.title, a.date, a.updated, a.standfirst, a.section, a.language,
  a.image_src AS imageSrc, a.image_alt AS imageAlt, a.authors`;

/**
 * What a list page needs before rendering: the index version for its ETag,
 * and the list's size and name; and, for the fronts, the fronts file as an
 * editor last published it, with D1's clock (one key lookup, so the state of
 * every list carries it).
 */
export function listStateStatement(list: string, now: number): Statement {
  return {
    sql: `SELECT s.version, s.changed_at AS changedAt, s.corrections,
  c.hash AS frontsHash, c.revision AS frontsRevision, c.written_at AS frontsWrittenAt, ${D1_NOW} AS dbNow,
  (SELECT published_at FROM list_entries WHERE list = '' AND published_at <= ?2 ORDER BY published_at DESC LIMIT 1) AS latest,
  (SELECT published_at FROM list_entries WHERE list = '' AND published_at > ?2 ORDER BY published_at LIMIT 1) AS next,
  coalesce(l.total, 0) AS total, l.name, l.url,
  (SELECT count(*) FROM list_entries WHERE list = ?1 AND published_at > ?2) AS future
FROM index_state s LEFT JOIN lists l ON l.list = ?1 LEFT JOIN config_files c ON c.key = ?3
WHERE s.id = 1`,
    params: [list, now, FRONTS_KEY],
  };
}

/**
 * One page of the corrections of visible articles, newest first: one range
 * scan of `corrections_by_time` from its newest end.
 */
export function correctionsStatement(now: number, offset: number, limit: number): Statement {
  return {
    sql: `SELECT c.slug, c.position, c.date AS correctedDate, c.text, a.title, a.date, a.language, a.section, a.hash
FROM corrections c JOIN articles a ON a.slug = c.slug
WHERE c.corrected_at <= ?1 AND a.draft = 0 AND a.published_at <= ?1
ORDER BY c.corrected_at DESC, c.slug DESC, c.position DESC LIMIT ?2 OFFSET ?3`,
    params: [now, limit, offset],
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
 * The visible articles among `slugs` (curated on a front): published by
 * `now` and not drafts, in no particular order; a slug with no row (never
 * indexed, or unpublished) is simply not there.
 */
export function curatedEntriesStatement(slugs: string[], now: number): Statement {
  return {
    sql: `SELECT ${CARD_COLUMNS}
FROM articles a WHERE a.slug IN (SELECT value FROM json_each(?1)) AND a.draft = 0 AND a.published_at <= ?2`,
    params: [JSON.stringify(slugs), now],
  };
}

/**
 * Entries `start` to `start + count - 1` of a list counted from its oldest
 * end, oldest first: a seek to the nearest anchor at or below `start`, then
 * fewer than a gap's worth of rows skipped (two {@link ANCHOR_STEP}s at most
 * once the Cron has split what backdated inserts widened). Without an anchor
 * it starts from the oldest entry (ordinal 0).
 */
export function oldestEntriesStatement(list: string, start: number, count: number): Statement {
  return {
    sql: `WITH anchor AS (
  SELECT ordinal, published_at, slug FROM page_anchors WHERE list = ?1 AND ordinal <= ?2
  UNION ALL SELECT 0, ${Number.MIN_SAFE_INTEGER}, ''
  ORDER BY ordinal DESC LIMIT 1
)
SELECT ${CARD_COLUMNS}
FROM list_entries e JOIN articles a ON a.slug = e.slug
WHERE e.list = ?1 AND (e.published_at, e.slug) >= (SELECT published_at, slug FROM anchor)
ORDER BY e.published_at, e.slug LIMIT ?3 OFFSET ?2 - (SELECT ordinal FROM anchor)`,
    params: [list, start, count],
  };
}

/**
 * Adds anchors above the highest anchor of each of `lists`, every
 * {@link ANCHOR_STEP} entries, up to its newest end: what a list grew by since
 * its anchors were last extended, or at most `maxEntries` of it. It runs in
 * the writer's transaction, so the work is the list's growth (a publish adds
 * a few entries; an import adds many, once), never a reader's; the Cron
 * extends, in bounded steps, lists that grew without one (after a migration).
 */
export function extendAnchorsStatement(lists: string[], maxEntries = Number.MAX_SAFE_INTEGER): Statement {
  return {
    sql: `WITH touched(list) AS (
  -- Only lists that have grown a whole step past their highest anchor: the rest have nothing to add.
  SELECT DISTINCT j.value FROM json_each(?1) j JOIN lists l ON l.list = j.value
  WHERE l.total - coalesce((SELECT max(ordinal) FROM page_anchors m WHERE m.list = j.value), -1) > ${ANCHOR_STEP}
),
top AS (
  SELECT t.list, coalesce(a.ordinal, -1) AS ordinal, coalesce(a.published_at, ${Number.MIN_SAFE_INTEGER}) AS published_at, coalesce(a.slug, '') AS slug
  FROM touched t LEFT JOIN page_anchors a ON a.list = t.list
    AND a.ordinal = (SELECT max(ordinal) FROM page_anchors m WHERE m.list = t.list)
),
ranked AS (
  SELECT e.list, e.published_at, e.slug, top.ordinal AS base,
    top.ordinal + row_number() OVER (PARTITION BY e.list ORDER BY e.published_at, e.slug) AS ordinal
  FROM top JOIN list_entries e ON e.list = top.list AND (e.published_at, e.slug) > (top.published_at, top.slug)
)
INSERT OR IGNORE INTO page_anchors (list, published_at, slug, ordinal)
SELECT list, published_at, slug, ordinal FROM ranked WHERE (ordinal - base) % ${ANCHOR_STEP} = 0 AND ordinal - base <= ?2`,
    params: [JSON.stringify(lists), maxEntries],
  };
}

/** Lists whose entries above their highest anchor are more than two steps: what the Cron extends (at most `limit`). */
export function listsToExtendStatement(limit: number): Statement {
  return {
    sql: `SELECT l.list FROM lists l
WHERE l.total - coalesce((SELECT max(ordinal) FROM page_anchors a WHERE a.list = l.list), -1) > ${2 * ANCHOR_STEP}
ORDER BY l.total DESC LIMIT ?1`,
    params: [limit],
  };
}

/**
 * Splits the gaps between anchors that backdated inserts widened past two
 * steps (the one below a list's first anchor included), adding an anchor one
 * step above the lower end of each: at most `limit` gaps per call, widest
 * first. Repeated, every gap ends within two steps. Each split scans one step
 * of one list.
 */
export function splitGapsStatement(limit: number): Statement {
  const entryAt = (column: string) => `(SELECT e.${column} FROM list_entries e
    WHERE e.list = w.list AND (e.published_at, e.slug) > (w.published_at, w.slug)
    ORDER BY e.published_at, e.slug LIMIT 1 OFFSET ${ANCHOR_STEP - 1})`;
  return {
    sql: `WITH bounds AS (
  SELECT list, published_at, slug, ordinal FROM page_anchors
  UNION ALL SELECT list, ${Number.MIN_SAFE_INTEGER}, '', -1 FROM (SELECT DISTINCT list FROM page_anchors)
),
gaps AS (SELECT list, published_at, slug, ordinal, lead(ordinal) OVER (PARTITION BY list ORDER BY ordinal) AS next FROM bounds),
wide AS (SELECT list, published_at, slug, ordinal FROM gaps WHERE next - ordinal > ${2 * ANCHOR_STEP} ORDER BY next - ordinal DESC LIMIT ?1),
split AS (SELECT w.list, w.ordinal + ${ANCHOR_STEP} AS ordinal, ${entryAt('published_at')} AS published_at, ${entryAt('slug')} AS slug FROM wide w)
INSERT OR IGNORE INTO page_anchors (list, published_at, slug, ordinal)
SELECT list, published_at, slug, ordinal FROM split WHERE slug IS NOT NULL`,
    params: [limit],
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
 * What the index holds for one slug: its row's hash and revision and who
 * wrote it when, and when (and at which revision) an editor last removed it
 * and whether that was a takedown (all null when there is neither), and the
 * article it is an alias of; the banner copy's version as an editor
 * last published it (null when never); and D1's clock, which the trust
 * window is measured by. One small read, which every article response that
 * may be cached makes (remembered for `ISOLATE_CACHE_TTL`).
 */
export function indexedVersionStatement(slug: string): Statement {
  return {
    sql: `SELECT a.hash, a.revision, a.indexed_by AS indexedBy, a.indexed_at AS indexedAt,
  r.removed_at AS removedAt, r.revision AS removedRevision, coalesce(r.gone, 0) AS gone, r.reason AS goneReason,
  (SELECT x.slug FROM aliases x WHERE x.alias = s.slug) AS aliasOf,
  c.hash AS bannersHash, c.revision AS bannersRevision, c.written_at AS bannersWrittenAt, ${D1_NOW} AS dbNow
FROM (SELECT ?1 AS slug) s LEFT JOIN articles a ON a.slug = s.slug LEFT JOIN removed r ON r.slug = s.slug
  LEFT JOIN config_files c ON c.key = ?2`,
    params: [slug, BANNERS_KEY],
  };
}

/** Records that an editor published a config file (banner copy, fronts) at `hash` and `revision` (in the same execution as the rows). */
export function configFileStatement(key: string, hash: string, revision: number | null): Statement {
  return {
    sql: `INSERT INTO config_files (key, hash, written_at, revision) VALUES (?1, ?2, ${D1_NOW}, ?3)
ON CONFLICT (key) DO UPDATE SET hash = excluded.hash, written_at = excluded.written_at, revision = excluded.revision`,
    params: [key, hash, revision],
  };
}

/**
 * What the index holds of some slugs, for purging: each row's hash, first
 * publication, draft flag and the lists it is on, so a change purges the
 * lists an article leaves as well as those it joins.
 */
export function indexedListsStatement(slugs: string[]): Statement {
  return {
    sql: `SELECT a.slug, a.hash, a.revision, a.indexed_by AS indexedBy, a.published_at AS publishedAt, a.draft,
  (SELECT json_group_array(e.list) FROM list_entries e WHERE e.slug = a.slug) AS lists,
  EXISTS (SELECT 1 FROM corrections c WHERE c.slug = a.slug) AS corrected
FROM articles a WHERE a.slug IN (SELECT value FROM json_each(?1))`,
    params: [JSON.stringify(slugs)],
  };
}

export interface IndexedVersion {
  hash: string | null;
  revision: number | null;
  indexedBy: 'editor' | 'reader' | 'cron' | null;
  indexedAt: number | null;
  removedAt: number | null;
  removedRevision: number | null;
  /** 1 when the last removal was a takedown (410 Gone), with the reason given. */
  gone: 0 | 1;
  goneReason: string | null;
  /** The article this slug is an alias of, if any. */
  aliasOf: string | null;
  bannersHash: string | null;
  bannersRevision: number | null;
  bannersWrittenAt: number | null;
  /** D1's clock when this was read, in ms. */
  dbNow: number;
}

/** Indexed slugs, hashes and revisions in a key range (after `after`, up to `through`; no upper bound when null). */
export function indexedRangeStatement(after: string, through: string | null): Statement {
  return {
    sql: 'SELECT slug, hash, revision FROM articles WHERE slug > ?1 AND (?2 IS NULL OR slug <= ?2) ORDER BY slug',
    params: [after, through],
  };
}

/** Where the reconciler stopped last time. */
export const RECONCILE_STATE_SQL =
  'SELECT reconcile_cursor AS cursor, reconcile_after AS after, reconcile_passes AS passes, reconciled_at AS reconciledAt FROM index_state WHERE id = 1';

export function saveReconcileStateStatement(cursor: string | null, after: string, passCompleted: boolean): Statement {
  return {
    sql: `UPDATE index_state SET reconcile_cursor = ?1, reconcile_after = ?2,
  reconcile_passes = reconcile_passes + ?3, reconciled_at = CASE WHEN ?3 = 1 THEN ${D1_NOW} ELSE reconciled_at END
WHERE id = 1`,
    params: [cursor, after, passCompleted ? 1 : 0],
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
