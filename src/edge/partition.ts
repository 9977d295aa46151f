/**
 * How requests are partitioned for Workers Cache, decided before the cache is
 * asked: pure functions of the request URL.
 *
 * Workers Cache keys a response by entry point, path and query, worker
 * version and `ctx.props` (and honours `Vary`). The gateway therefore calls
 * the cached entry point with the reader's region group in `props` for the
 * routes that carry a banner, and with no props for everything else, so the
 * cache holds one copy per group of an article page and one copy of every
 * region-neutral response. Query parameters that change nothing are dropped
 * and the rest sorted, so tracking parameters cannot split the cache.
 */
import { origin, rawPath } from '../http/request.ts';
import { searchQuery } from '../listing/search.ts';

/** What the cached entry point is called with; part of the cache key. */
export interface CacheProps {
  /** The region group the page's banner is for; absent on region-neutral routes. */
  group?: string;
  /** The banner test arm (`<test>.<arm>`) of a reader enrolled in the test live for their group, on article pages. */
  arm?: string;
}

/** The routes whose banner can be a test's arm: article pages. */
export function carriesBannerTest(path: string): boolean {
  return path.startsWith('/articles/');
}

/** The routes whose responses vary by region group: those with the reader's banner, and `/`, the reader's edition. */
export function variesByRegion(path: string): boolean {
  return path === '/' || path.startsWith('/articles/');
}

/**
 * Requests that no cache may answer: editors' signed previews (`private,
 * no-store` anyway) and a gallery opened from one; a media URL with a query
 * (the pages refuse it with a 400, which the cache would otherwise never
 * see, keying it without the query) or a byte range (R2 answers ranges
 * itself, and a cache must not be asked to store a 206); the banner's
 * beacons and counted links, which read the reader's test cookie and are
 * never stored. They go straight to the pages, without a cache lookup.
 */
export function bypassesCache(path: string, url: string, range: string | null = null): boolean {
  if (path.startsWith('/preview/') || path.startsWith('/go/') || (path.startsWith('/_banner/') && !path.endsWith('.css'))) return true;
  if (path.startsWith('/media/')) return range !== null || url.includes('?');
  if (!path.startsWith('/gallery/')) return false;
  const query = url.indexOf('?');
  return query !== -1 && new URLSearchParams(url.slice(query + 1)).has('sig');
}

/** The query parameters each kind of route reads; every other one changes nothing. */
function parametersFor(path: string): readonly string[] {
  if (path === '/search') return ['page', 'q'];
  if (path === '/' || path === '/latest' || path === '/corrections' || /^\/(?:sections|tags|authors)\/[^/]+$/.test(path)) return ['page'];
  if (variesByRegion(path)) return ['region'];
  return [];
}

/**
 * The URL as the cache should key it: only the parameters the route reads,
 * sorted; `page=1` dropped (it is the first page, which is also the page
 * without one); a search query reduced to its normalised words. Two URLs
 * that give the same bytes give the same key.
 */
export function canonicalUrl(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return url;
  const path = rawPath(url);
  const search = new URLSearchParams(query === -1 ? '' : url.slice(query + 1).replace(/#.*$/, ''));
  const params: [string, string][] = [];
  for (const name of parametersFor(path)) {
    const value = search.get(name);
    if (value === null) continue;
    if (name === 'page' && value === '1') continue;
    if (name === 'q') {
      const { normalised } = searchQuery(value);
      // A query with no words keeps what was typed, so the page can say so.
      params.push([name, normalised || value]);
    } else {
      params.push([name, value]);
    }
  }
  const kept = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  // The path exactly as sent: the pages refuse malformed slugs by what was sent, not by what a URL parser would make of it.
  return `${origin(url)}${path}${kept ? `?${kept}` : ''}`;
}
