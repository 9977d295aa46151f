/**
 * Purge tags: the names caches know our responses by (`Cache-Tag`,
 * `Surrogate-Key`), and which of them a change to the archive makes stale.
 * Pure, and shared by the worker (which puts the tags on responses) and the
 * editors' commands (which purge them), so the two can never disagree.
 *
 * Every tag is the same for every region variant of a URL: purging a tag
 * drops every variant at once. Tags are printable ASCII without spaces or
 * commas (both separate tags in the headers), well under Cloudflare's 1,024
 * characters each.
 */
/** Every response made from an article file: its page, JSON, gallery, and their 404s. */
export const ARTICLES_TAG = 'articles';
/** Every response answered from the D1 index: lists, feeds, sitemaps, search. */
export const INDEX_TAG = 'index';
/** The front page, every page of it, and its feed. */
export const FRONT_TAG = 'front';
/** The editions' fronts (`/`, `/editions/<id>`): what a change to the fronts file purges. */
export const FRONTS_TAG = 'fronts';
export const FEED_TAG = 'feed';
/** `/corrections`, its pages and its feed. */
export const CORRECTIONS_TAG = 'corrections';
export const SEARCH_TAG = 'search';
export const SITEMAP_TAG = 'sitemap';
export const SITEMAP_INDEX_TAG = 'sitemap:index';
export const SITEMAP_PAGES_TAG = 'sitemap:pages';
export const NEWS_SITEMAP_TAG = 'sitemap:news';
export const ROBOTS_TAG = 'robots';

/** One article's page, JSON and gallery. The slug, `/` included, is already tag-safe. */
export function articleTag(slug: string): string {
  return `article:${slug}`;
}

/**
 * A list's own tag, from its key in the index: `front` for the front page
 * (whose key is the empty string), else the key itself (`section:world`,
 * `tag:climate`, `author:ruth-okafor`).
 */
export function listTag(list: string): string {
  return list === '' ? FRONT_TAG : list;
}

/** Every part of one month's sitemap (`sitemap:2026-11`). */
export function sitemapMonthTag(month: string): string {
  return `sitemap:${month}`;
}

/** The Google News sitemap lists articles first published within this window. */
export const NEWS_WINDOW_MS = 48 * 3600 * 1000;

/** What purging needs to know of one version of an article, as the index holds it (or as it is about to be written). */
export interface TaggedVersion {
  slug: string;
  /** First-published time, ms. */
  publishedAt: number;
  draft: boolean;
  /** The index lists it is on (`''`, `section:…`, `tag:…`, `author:…`). */
  lists: readonly string[];
  /** Whether it has corrections (so it is on `/corrections`). */
  corrected?: boolean;
}

/**
 * The tags whose responses change when an article goes from `before` to
 * `after` (either may be absent: a new article, a removal). Its own pages
 * always; and, unless it was and stays a draft, every list it was or will be
 * on, its month's sitemap, the sitemap index and pages, the news sitemap when
 * it is recent enough to be in it, and search. A scheduled article counts:
 * the lists cached now were given lifetimes that do not know its time.
 */
export function tagsForChange(slug: string, before: TaggedVersion | null, after: TaggedVersion | null, now: number): string[] {
  const tags = new Set([articleTag(slug)]);
  for (const version of [before, after]) {
    if (!version || version.draft) continue;
    for (const list of version.lists) tags.add(listTag(list));
    tags.add(sitemapMonthTag(new Date(version.publishedAt).toISOString().slice(0, 7)));
    tags.add(SITEMAP_INDEX_TAG).add(SITEMAP_PAGES_TAG).add(SEARCH_TAG);
    if (version.corrected) tags.add(CORRECTIONS_TAG);
    if (version.publishedAt > now - NEWS_WINDOW_MS) tags.add(NEWS_SITEMAP_TAG);
  }
  return [...tags];
}

/**
 * Tags to purge for a set of changes, within `limit`: exact when they fit;
 * otherwise the article tags with `index` for every list; otherwise the two
 * broad tags that cover every page made from articles or the index. Order
 * is stable, so a retry purges the same set.
 */
export function purgeSet(tags: Iterable<string>, limit: number): { tags: string[]; broadened: boolean } {
  const exact = [...new Set(tags)].sort();
  if (exact.length <= limit) return { tags: exact, broadened: false };
  const articles = exact.filter((t) => t.startsWith('article:'));
  const onlyBroadLists = exact.some((t) => !t.startsWith('article:') && t !== ARTICLES_TAG) ? [INDEX_TAG] : [];
  if (articles.length + onlyBroadLists.length <= limit) return { tags: [...articles, ...onlyBroadLists], broadened: true };
  return { tags: [ARTICLES_TAG, ...onlyBroadLists], broadened: true };
}

/** A purge tag as Cloudflare and our VCL accept it: printable ASCII without spaces or commas, at most 1,024 characters. */
export function isValidTag(tag: string): boolean {
  return tag.length > 0 && tag.length <= 1024 && /^[\x21-\x2b\x2d-\x7e]+$/.test(tag);
}
