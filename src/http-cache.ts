/**
 * HTTP caching headers per DESIGN §4: one place that decides what caches may
 * keep, for how long, and under which purge tags.
 */
import type { Config } from './config.ts';

/** Cache-Control for a cacheable page: browsers briefly, with SWR and SIE. */
export function publicCacheControl(config: Config): string {
  return `public, max-age=${config.browserMaxAge}, stale-while-revalidate=${config.staleWhileRevalidate}, stale-if-error=${config.staleIfError}`;
}

/**
 * The shared-cache lifetime goes in CDN-Cache-Control (RFC 9213) and not in
 * `s-maxage`, which would forbid shared caches to serve stale.
 */
export function cdnCacheControl(config: Config): string {
  return `max-age=${config.cdnMaxAge}, stale-while-revalidate=${config.staleWhileRevalidate}, stale-if-error=${config.staleIfError}`;
}

/** Headers every cacheable response carries; `tags` name its purge identities. */
export function cacheHeaders(config: Config, tags: string[]): Record<string, string> {
  return {
    'Cache-Control': publicCacheControl(config),
    'CDN-Cache-Control': cdnCacheControl(config),
    'Cache-Tag': tags.join(','),
    'Surrogate-Key': tags.join(' '),
  };
}

/** A 404: cacheable, but only briefly, since the article may be published any moment. */
export function notFoundCacheControl(config: Config): string {
  return `public, max-age=${config.notFoundMaxAge}`;
}

/** Errors and private responses are never stored by anyone. */
export const NO_STORE = 'no-store';

/** Media names never change content (the publisher refuses that), so a year and immutable. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Purge tag for one article: the slug, with `/` kept, is already tag-safe. */
export function articleTag(slug: string): string {
  return `article:${slug}`;
}
