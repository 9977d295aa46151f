-- Writers that cannot go backwards, and deep pages that stay bounded after any change.
--
-- Revisions. Every version an editor's command writes carries a revision from
-- one clock: this counter in D1, taken once per command run before it writes
-- KV, and recorded in the key's KV metadata and in the row. A reader or the
-- Cron may fill a missing row or move it to a newer revision, never back to
-- an older one; a version without a revision (a plain `wrangler kv key put`)
-- may replace a row only once the row is older than the trust window, by D1's
-- own clock.
ALTER TABLE index_state ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
-- Where `npm run reindex` stopped (the last slug it finished), so it resumes there; NULL when none is under way.
ALTER TABLE index_state ADD COLUMN reindex_after TEXT;
ALTER TABLE removed ADD COLUMN revision INTEGER;
ALTER TABLE config_files ADD COLUMN revision INTEGER;

-- `articles` again, with a revision and a third kind of writer ('cron'); the
-- ids stay, since search rowids are made from them.
CREATE TABLE articles_v4 (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL,
  title TEXT NOT NULL,
  date TEXT NOT NULL,
  updated TEXT,
  published_at INTEGER NOT NULL,
  modified_at INTEGER NOT NULL,
  standfirst TEXT,
  section TEXT,
  language TEXT NOT NULL,
  draft INTEGER NOT NULL,
  image_src TEXT,
  image_alt TEXT,
  -- When this row was last written by D1's clock, and by whom: 'editor'
  -- (publish, unpublish, reindex), 'reader' (write-back after a page view) or
  -- 'cron' (the reconciler).
  indexed_at INTEGER NOT NULL,
  indexed_by TEXT NOT NULL CHECK (indexed_by IN ('editor', 'reader', 'cron')),
  search_rowid INTEGER,
  -- The revision of the version this row describes; NULL for a plain upload's.
  revision INTEGER
);
INSERT INTO articles_v4 (id, slug, hash, title, date, updated, published_at, modified_at, standfirst, section, language, draft,
  image_src, image_alt, indexed_at, indexed_by, search_rowid, revision)
SELECT id, slug, hash, title, date, updated, published_at, modified_at, standfirst, section, language, draft,
  image_src, image_alt, indexed_at, indexed_by, search_rowid, NULL FROM articles;
DROP TABLE articles;
ALTER TABLE articles_v4 RENAME TO articles;

CREATE TRIGGER articles_inserted AFTER INSERT ON articles BEGIN
  UPDATE index_state SET version = version + 1, changed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = 1;
END;

-- An editor claiming a row at the hash it already has changes nothing readers see.
CREATE TRIGGER articles_updated AFTER UPDATE OF hash ON articles WHEN OLD.hash IS NOT NEW.hash BEGIN
  UPDATE index_state SET version = version + 1, changed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = 1;
  UPDATE sitemap_months SET lastmod = CAST(unixepoch('subsec') * 1000 AS INTEGER)
    WHERE NEW.draft = 0 AND month = strftime('%Y-%m', NEW.published_at / 1000, 'unixepoch');
END;

CREATE TRIGGER articles_deleted AFTER DELETE ON articles BEGIN
  UPDATE index_state SET version = version + 1, changed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = 1;
END;

CREATE TRIGGER articles_deleted_search AFTER DELETE ON articles WHEN OLD.search_rowid IS NOT NULL BEGIN
  DELETE FROM article_search WHERE rowid = OLD.search_rowid;
END;

-- Anchors that a change shifts instead of dropping. An anchor is an entry of a
-- list and its ordinal (how many entries of the list come before it). An entry
-- added or removed below an anchor moves its ordinal by one, in the same
-- transaction, touching at most one row per thousand entries; nothing is ever
-- rebuilt on a reader's request. Writers add anchors above the highest one as
-- a list grows, and the Cron splits any gap that backdated inserts widened.
DROP TABLE page_anchors;
CREATE TABLE page_anchors (
  list TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  slug TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  PRIMARY KEY (list, published_at, slug)
) WITHOUT ROWID;
CREATE INDEX page_anchors_by_ordinal ON page_anchors (list, ordinal);

DROP TRIGGER list_entry_added;
CREATE TRIGGER list_entry_added AFTER INSERT ON list_entries BEGIN
  INSERT INTO lists (list, total) VALUES (NEW.list, 1)
    ON CONFLICT (list) DO UPDATE SET total = total + 1;
  UPDATE page_anchors SET ordinal = ordinal + 1 WHERE list = NEW.list AND (published_at, slug) > (NEW.published_at, NEW.slug);
  INSERT INTO sitemap_months (month, total, lastmod)
    SELECT strftime('%Y-%m', NEW.published_at / 1000, 'unixepoch'), 1, CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE NEW.list = ''
    ON CONFLICT (month) DO UPDATE SET total = total + 1, lastmod = excluded.lastmod;
END;

DROP TRIGGER list_entry_removed;
CREATE TRIGGER list_entry_removed AFTER DELETE ON list_entries BEGIN
  UPDATE lists SET total = total - 1 WHERE list = OLD.list;
  DELETE FROM page_anchors WHERE list = OLD.list AND published_at = OLD.published_at AND slug = OLD.slug;
  UPDATE page_anchors SET ordinal = ordinal - 1 WHERE list = OLD.list AND (published_at, slug) > (OLD.published_at, OLD.slug);
  UPDATE sitemap_months SET total = total - 1, lastmod = CAST(unixepoch('subsec') * 1000 AS INTEGER)
    WHERE OLD.list = '' AND month = strftime('%Y-%m', OLD.published_at / 1000, 'unixepoch');
END;
