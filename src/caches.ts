/**
 * Every cache an isolate keeps in memory, and its bound, in one place. Workers
 * give an isolate 128 MB; nothing here grows with the archive or the traffic.
 *
 * Byte budgets come from configuration: `RENDER_CACHE_MB` (parsed articles,
 * their region-neutral renders, the page per region, galleries; see
 * `articles/render-cache.ts`) and `LIST_CACHE_MB` (rendered lists, feeds,
 * sitemaps and search pages; `listing/bodies.ts`). The rest are bounded by
 * count, below; each is a least-recently-used map (`storage/lru.ts`). Two
 * small maps are keyed by objects the runtime owns and go with them: the
 * parsed configuration per `env`, and rendered banners per copy object.
 */
export const CACHE_BOUNDS = {
  /** Slugs whose last read (its version, and when) an isolate remembers: the article memo. */
  articleVersions: 50_000,
  /** Lists whose state (index version, size, next scheduled time) an isolate reuses. */
  listStates: 2_000,
  /** Editors' config files read from KV (banner copy and fronts; the memo holds each one's last read). */
  configFiles: 2,
  /** Media whose intrinsic width and height were read from their first bytes. */
  imageSizes: 10_000,
  /** `Last-Modified` dates, formatted once per second of time. */
  httpDates: 10_000,
  /** Date formatters, by time zone and form. */
  dateFormats: 64,
} as const;
