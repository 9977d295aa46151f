-- The versions of the files besides articles that pages are made from (the
-- banner copy, `config/banners`), as the editors' commands last wrote them.
-- A page rendered from an older copy than this, read from a lagging KV cache,
-- is served but not stored by any cache; see the README, "Closing the purge race".
CREATE TABLE config_files (
  key TEXT PRIMARY KEY,
  -- Content hash of the KV value.
  hash TEXT NOT NULL,
  -- When the editor's command wrote it (ms since the epoch).
  written_at INTEGER NOT NULL
) WITHOUT ROWID;
