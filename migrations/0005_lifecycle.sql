-- Articles over their lifetime: moved slugs, corrections, takedowns, and each
-- article's byline for the feeds. Every table here is, like the rest of the
-- index, a projection of the article files in KV (`npm run reindex` rebuilds
-- it), written in the same transaction as the article's row.

-- The byline, as a JSON array of names in the order the front matter gives
-- them (feeds name each entry's authors). Rows written before this migration
-- get their authors from the author lists, in name order, until rewritten.
ALTER TABLE articles ADD COLUMN authors TEXT NOT NULL DEFAULT '[]';
UPDATE articles SET authors = coalesce((
  SELECT json_group_array(l.name) FROM list_entries e JOIN lists l ON l.list = e.list
  WHERE e.slug = articles.slug AND e.list > 'author:' AND e.list < 'author;'
), '[]');

-- Old slugs (`aliases` in front matter), each answered with a 301 to the
-- article that lists it: one primary-key lookup, made with the version check
-- every article request already makes. Writers keep every alias pointing at
-- a current slug (a chain A → B → C is stored as A → C), so one hop always
-- reaches the article.
CREATE TABLE aliases (
  alias TEXT PRIMARY KEY,
  slug TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX aliases_by_slug ON aliases (slug);

-- Corrections (`corrections` in front matter) of visible articles, for
-- `/corrections` and its feed, newest first by one index range scan; the
-- count is kept in `index_state` by the triggers below, so no reader counts.
CREATE TABLE corrections (
  slug TEXT NOT NULL,
  position INTEGER NOT NULL,
  corrected_at INTEGER NOT NULL,
  date TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (slug, position)
) WITHOUT ROWID;
CREATE INDEX corrections_by_time ON corrections (corrected_at, slug, position);

ALTER TABLE index_state ADD COLUMN corrections INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER correction_added AFTER INSERT ON corrections BEGIN
  UPDATE index_state SET corrections = corrections + 1 WHERE id = 1;
END;

CREATE TRIGGER correction_removed AFTER DELETE ON corrections BEGIN
  UPDATE index_state SET corrections = corrections - 1 WHERE id = 1;
END;

-- What goes with an article's row when it is removed: its corrections, and
-- the aliases that led to it (a takedown turns them into tombstones first).
CREATE TRIGGER articles_deleted_lifecycle AFTER DELETE ON articles BEGIN
  DELETE FROM corrections WHERE slug = OLD.slug;
  DELETE FROM aliases WHERE slug = OLD.slug;
END;

-- A takedown (`npm run unpublish -- --gone`): the slug answers 410 Gone, with
-- the reason an editor gave, instead of 404, until it is published again.
ALTER TABLE removed ADD COLUMN gone INTEGER NOT NULL DEFAULT 0;
ALTER TABLE removed ADD COLUMN reason TEXT;
