-- Media in R2: one row per file the publish command (or media:migrate) has
-- stored under media/<name> in the MEDIA bucket. It is the publisher's record
-- of what each immutable name holds (R2 has no cheap listing through
-- wrangler), so a publish can skip unchanged files and refuse to put new
-- bytes under a published name. The worker never reads it: it serves
-- whatever R2 (or, before migration, KV) holds.
CREATE TABLE media (
  name TEXT PRIMARY KEY,          -- without the media/ prefix
  hash TEXT NOT NULL,             -- sha-256 of the bytes, hex (as KV metadata records)
  bytes INTEGER NOT NULL,
  type TEXT NOT NULL,             -- the Content-Type it is served with
  width INTEGER,                  -- intrinsic size, for images whose header says
  height INTEGER,
  stored_at TEXT NOT NULL,        -- ISO 8601, when it reached R2
  source TEXT NOT NULL CHECK (source IN ('publish', 'migrate'))
) WITHOUT ROWID;
