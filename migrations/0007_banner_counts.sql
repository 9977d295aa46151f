-- Counts of what the support banner did, for development and the tests:
-- Analytics Engine (the BANNER_EVENTS dataset) is where production counts
-- go, and it drops writes locally. Written only when BANNER_LOCAL_COUNTS is
-- "true". Aggregates only: a day, what was shown, and how many times; no
-- reader, address or identifier of any kind.
CREATE TABLE banner_counts (
  day TEXT NOT NULL,              -- YYYY-MM-DD, UTC
  test TEXT NOT NULL,             -- the test's name, or '-' for none
  variant TEXT NOT NULL,          -- control, a variant, default, or rule.<name>
  grp TEXT NOT NULL,              -- the region group
  kind TEXT NOT NULL CHECK (kind IN ('impression', 'click', 'dismiss')),
  link TEXT NOT NULL DEFAULT '',  -- primary or secondary, for clicks
  count INTEGER NOT NULL,
  PRIMARY KEY (day, test, variant, grp, kind, link)
) WITHOUT ROWID;
