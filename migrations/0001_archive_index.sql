-- The archive index: a projection of the article files in KV, which can always
-- be rebuilt from them (`npm run reindex`). Times are milliseconds since the
-- epoch (UTC). Every list (the front page, a section, a tag, an author) is
-- answered from `list_entries` by one index range scan, whatever the archive's
-- size; counts, sitemap months and deep-page anchors are kept up to date by
-- the triggers at the end, so no reader query ever counts or scans a whole list.

-- One row per article key in KV, drafts and scheduled articles included (the
-- reconciler compares hashes with KV); lists only ever show visible ones.
CREATE TABLE articles (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  -- Content hash of the KV value: the version this row describes.
  hash TEXT NOT NULL,
  title TEXT NOT NULL,
  -- `date` and `updated` as written in the front matter (ISO 8601).
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
  -- When this row was last written, and by whom: 'editor' (publish, unpublish,
  -- reindex) or 'reader' (a reader request or the reconciler, from what it read
  -- in KV). An editor's write wins over readers' for a while after it, since KV
  -- reads elsewhere may lag a write by a minute or more.
  indexed_at INTEGER NOT NULL,
  indexed_by TEXT NOT NULL CHECK (indexed_by IN ('editor', 'reader'))
);

-- Membership of every list an article is on: '' (the front page),
-- 'section:<name>', 'tag:<slug>', 'author:<slug>'. Drafts are on none.
-- Scheduled articles are present with their future time; readers' queries stop at now.
CREATE TABLE list_entries (
  list TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  slug TEXT NOT NULL,
  PRIMARY KEY (list, published_at, slug)
) WITHOUT ROWID;
CREATE INDEX list_entries_by_slug ON list_entries (slug);

-- One row per list: its size (scheduled entries included) and, for tags and
-- authors, the name to show and an author's own link.
CREATE TABLE lists (
  list TEXT PRIMARY KEY,
  total INTEGER NOT NULL DEFAULT 0,
  name TEXT,
  url TEXT
) WITHOUT ROWID;

-- Keyset anchors behind page numbers: the key of every 1,000th entry of a list
-- counted from its oldest end, so page N of any list is an index seek plus an
-- OFFSET of less than 1,000 rows. Counting from the oldest end means that
-- publishing new articles never moves an anchor; a backdated insert or a
-- removal drops the anchors above it (trigger below) and they are rebuilt on demand.
CREATE TABLE page_anchors (
  list TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  published_at INTEGER NOT NULL,
  slug TEXT NOT NULL,
  PRIMARY KEY (list, ordinal)
) WITHOUT ROWID;

-- The front page list by UTC month, for the sitemap index: how many entries
-- and when the month's sitemap last changed.
CREATE TABLE sitemap_months (
  month TEXT PRIMARY KEY,
  total INTEGER NOT NULL DEFAULT 0,
  lastmod INTEGER NOT NULL
) WITHOUT ROWID;

-- Slugs an editor unpublished, and when: a reader request or the reconciler
-- that still sees the old file in a KV cache must not bring them back.
CREATE TABLE removed (
  slug TEXT PRIMARY KEY,
  removed_at INTEGER NOT NULL
) WITHOUT ROWID;

-- A single row. `version` changes with every change to the index: it goes into
-- every list's ETag, so a 304 costs one small query. `changed_at` is when it
-- last changed. The reconciler keeps its place in KV here between runs.
CREATE TABLE index_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL,
  changed_at INTEGER NOT NULL,
  reconcile_cursor TEXT,
  reconcile_after TEXT NOT NULL DEFAULT '',
  reconcile_passes INTEGER NOT NULL DEFAULT 0,
  reconciled_at INTEGER
);
INSERT INTO index_state (id, version, changed_at) VALUES (1, 0, 0);

CREATE TRIGGER articles_inserted AFTER INSERT ON articles BEGIN
  UPDATE index_state SET version = version + 1, changed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = 1;
END;

CREATE TRIGGER articles_updated AFTER UPDATE OF hash ON articles BEGIN
  UPDATE index_state SET version = version + 1, changed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = 1;
  -- An edit changes the month's sitemap (its <lastmod>) even when no entry moves.
  UPDATE sitemap_months SET lastmod = CAST(unixepoch('subsec') * 1000 AS INTEGER)
    WHERE NEW.draft = 0 AND month = strftime('%Y-%m', NEW.published_at / 1000, 'unixepoch');
END;

CREATE TRIGGER articles_deleted AFTER DELETE ON articles BEGIN
  UPDATE index_state SET version = version + 1, changed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE id = 1;
END;

CREATE TRIGGER list_entry_added AFTER INSERT ON list_entries BEGIN
  INSERT INTO lists (list, total) VALUES (NEW.list, 1)
    ON CONFLICT (list) DO UPDATE SET total = total + 1;
  DELETE FROM page_anchors WHERE list = NEW.list AND (published_at, slug) >= (NEW.published_at, NEW.slug);
  INSERT INTO sitemap_months (month, total, lastmod)
    SELECT strftime('%Y-%m', NEW.published_at / 1000, 'unixepoch'), 1, CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE NEW.list = ''
    ON CONFLICT (month) DO UPDATE SET total = total + 1, lastmod = excluded.lastmod;
END;

CREATE TRIGGER list_entry_removed AFTER DELETE ON list_entries BEGIN
  UPDATE lists SET total = total - 1 WHERE list = OLD.list;
  DELETE FROM page_anchors WHERE list = OLD.list AND (published_at, slug) >= (OLD.published_at, OLD.slug);
  UPDATE sitemap_months SET total = total - 1, lastmod = CAST(unixepoch('subsec') * 1000 AS INTEGER)
    WHERE OLD.list = '' AND month = strftime('%Y-%m', OLD.published_at / 1000, 'unixepoch');
END;
