-- Full-text search over every visible article (drafts have no search row):
-- the title, the standfirst and the body as plain text (markdown syntax
-- removed when the row is written), folded to lower case and without
-- diacritics, so "café" finds "cafe".
--
-- A search row's rowid is its article's first-published second times 2^20,
-- plus the article id modulo 2^20: rowids run in publication order, so the
-- most recent matches of a query are the first in rowid order, and articles
-- scheduled for later sit above a rowid bound a query can stop at.
CREATE VIRTUAL TABLE article_search USING fts5(
  title,
  standfirst,
  body,
  slug UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- Where each article's search row is, so a new version or a removal replaces it.
ALTER TABLE articles ADD COLUMN search_rowid INTEGER;

CREATE TRIGGER articles_deleted_search AFTER DELETE ON articles WHEN OLD.search_rowid IS NOT NULL BEGIN
  DELETE FROM article_search WHERE rowid = OLD.search_rowid;
END;
