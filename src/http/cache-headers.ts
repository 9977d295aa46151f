/**
 * The caching contract (README, HTTP contract › Caching): lifetimes, validators, purge tags and
 * conditional requests (RFC 9110 §13), decided in one place.
 *
 * Validators are computed from what a response is made of (content hash,
 * region group, template and banner versions), never by hashing a rendered
 * body, so a 304 can be answered before any markdown is rendered.
 */
import { CACHE_BOUNDS } from '../caches.ts';
import type { Config } from '../config.ts';
import { LruCache } from '../storage/lru.ts';

/** What a cacheable response is, for caches: its validators and purge identities. */
export interface Representation {
  /** A strong entity tag, quotes included. */
  etag: string;
  /** Milliseconds since the epoch, or undefined when unknown. */
  lastModified?: number;
  /** Purge tags, identical for every variant of the URL. */
  tags: string[];
  /**
   * When this representation stops being current with no write at all (a
   * scheduled article appears then). No lifetime sent reaches past it.
   */
  expiresAt?: number;
  /** A shorter lifetime than the configured ones, in seconds (search results). */
  maxAge?: number;
}

/**
 * Every header a cacheable response carries, 200, 304 and HEAD alike. A stale
 * copy served because KV failed is marked `no-store`: readers get the page,
 * but no cache keeps it as if it were fresh.
 */
export function cacheHeaders(config: Config, rep: Representation, { stale = false, now = Date.now() } = {}): Record<string, string> {
  const lifetimes = rep.expiresAt === undefined && rep.maxAge === undefined ? config.cacheControl : lifetimesWithin(config, rep, now);
  const headers: Record<string, string> = {
    'Cache-Control': stale ? NO_STORE : lifetimes.browser,
    'CDN-Cache-Control': stale ? NO_STORE : lifetimes.cdn,
    ETag: rep.etag,
    'Cache-Tag': rep.tags.join(','),
    'Surrogate-Key': rep.tags.join(' '),
  };
  if (rep.lastModified !== undefined) headers['Last-Modified'] = httpDate(rep.lastModified);
  return headers;
}

/**
 * Lifetimes no longer than `rep.maxAge`, and that end by `rep.expiresAt`: each
 * max-age, and max-age plus stale-while-revalidate, stop there (a cache may
 * serve stale only within that sum). stale-if-error stays: it applies only
 * while the origin is failing.
 */
function lifetimesWithin(config: Config, rep: Representation, now: number): Config['cacheControl'] {
  const left = rep.expiresAt === undefined ? Infinity : Math.max(0, Math.floor((rep.expiresAt - now) / 1000));
  const full = config.cacheControl;
  const within = (maxAge: number) => {
    const age = Math.min(maxAge, rep.maxAge ?? Infinity, left);
    return { age, swr: Math.min(config.staleWhileRevalidate, left - age) };
  };
  const browser = within(config.browserMaxAge), cdn = within(config.cdnMaxAge);
  return {
    browser: browser.age === config.browserMaxAge && browser.swr === config.staleWhileRevalidate ? full.browser
      : `public, max-age=${browser.age}, stale-while-revalidate=${browser.swr}, stale-if-error=${config.staleIfError}`,
    cdn: cdn.age === config.cdnMaxAge && cdn.swr === config.staleWhileRevalidate ? full.cdn
      : `max-age=${cdn.age}, stale-while-revalidate=${cdn.swr}, stale-if-error=${config.staleIfError}`,
  };
}

/**
 * A 404: cacheable, but only briefly, since the article may be published any
 * moment; never past `until` when its publication time is known.
 */
export function notFoundCacheControl(config: Config, until?: number, now = Date.now()): string {
  const left = until === undefined ? config.notFoundMaxAge : Math.max(0, Math.floor((until - now) / 1000));
  return `public, max-age=${Math.min(config.notFoundMaxAge, left)}`;
}

/** Errors, previews and stale fallbacks are never stored by anyone. */
export const NO_STORE = 'no-store';

/** Editors' previews: for one browser only, and not even kept there. */
export const PRIVATE = 'private, no-store';

/** Media names never change content (the publisher refuses that), so a year and immutable. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A strong entity tag from parts made of safe characters. */
export function entityTag(...parts: string[]): string {
  const tag = parts.join('.');
  return `"${UNSAFE_TAG.test(tag) ? tag.replace(/[^A-Za-z0-9._-]/g, '_') : tag}"`;
}

const UNSAFE_TAG = /[^A-Za-z0-9._-]/;

/** IMF-fixdate, as HTTP wants dates. */
export function httpDate(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const key = String(seconds);
  let text = httpDates.get(key);
  if (text === undefined) {
    text = new Date(seconds * 1000).toUTCString();
    httpDates.set(key, text);
  }
  return text;
}

// Articles' dates repeat on every request; format each once.
const httpDates = new LruCache<string>(CACHE_BOUNDS.httpDates);

/**
 * Last-Modified for something first published at `date` and perhaps updated
 * at `updated`. Undefined for a date in the future, which HTTP forbids sending.
 */
export function lastModifiedOf(date: string, updated?: string): number | undefined {
  const ms = Math.max(Date.parse(date), updated ? Date.parse(updated) : 0);
  return Number.isFinite(ms) && ms <= Date.now() ? ms : undefined;
}

/**
 * RFC 9110 §13.2.2 for GET and HEAD: `If-None-Match` (weak comparison,
 * lists, `*`) decides. `If-Modified-Since` alone never yields a 304: a page's
 * bytes also depend on the templates, the deploy and the banner copy, which
 * its `Last-Modified` (when the content changed) does not date, so a date
 * cannot tell us the client's copy is current. Any other method never gets a 304.
 */
export function isNotModified(request: Request, rep: Representation): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const ifNoneMatch = request.headers.get('If-None-Match');
  return ifNoneMatch !== null && matchesEntityTag(ifNoneMatch, rep.etag);
}

// One entity tag in a list: optional W/, then a quoted opaque tag.
const ENTITY_TAG = /\s*(?:W\/)?("[\x21\x23-\x7e\x80-\xff]*")\s*(?:,|$)/y;

/**
 * Weak comparison of an If-None-Match value against our tag: `W/` is ignored
 * (proxies weaken tags when they transform a body), `*` matches anything. A
 * malformed list matches nothing, so the full response is sent.
 */
export function matchesEntityTag(header: string, etag: string): boolean {
  const value = header.trim();
  if (value === '*') return true;
  if (value.length > 8192) return false;
  ENTITY_TAG.lastIndex = 0;
  let found = false;
  while (ENTITY_TAG.lastIndex < value.length) {
    const start = ENTITY_TAG.lastIndex;
    const match = ENTITY_TAG.exec(value);
    if (!match || ENTITY_TAG.lastIndex === start) return false;
    if (match[1] === etag) found = true;
  }
  return found;
}
