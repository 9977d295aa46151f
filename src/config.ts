/**
 * Typed, validated configuration from the worker's `[vars]`.
 *
 * Vars arrive as strings (wrangler.toml, `.dev.vars`, the dashboard), so each is
 * parsed once per `env` object and checked. A bad value is an operator error: it
 * throws a {@link ConfigError} naming the variable, which the app's error path
 * turns into an uncached 500 rather than silently running with a guess.
 */
import type { ImageResizing } from './media/candidates.ts';
import type { LoadOptions } from './articles/load.ts';
import { fingerprint } from './content/fingerprint.ts';
import { SEGMENT_PATTERN, foldToSegment } from './content/slug.ts';
import type { Site } from './views/layout.ts';
import { LANGUAGES } from './views/messages.ts';
import { STYLESHEET_VERSION, TEMPLATE_VERSION } from './views/styles.ts';

/** Where a reader's country may come from: a request header, or `request.cf.country`. */
export type RegionSource = { kind: 'header'; name: string } | { kind: 'cf' };

/** Settings from `[vars]`, parsed and checked. */
export interface Settings {
  siteName: string;
  /** The interface language: `en`, or another key of `LANGUAGES` (views/messages.ts). */
  siteLanguage: string;
  /** Canonical origin without a trailing slash, or null to use the request's origin. */
  siteUrl: string | null;
  /**
   * Where the region comes from, and the `Vary` value for region-dependent
   * responses: every configured header, in order.
   */
  region: { sources: RegionSource[]; vary: string };
  browserMaxAge: number;
  cdnMaxAge: number;
  staleWhileRevalidate: number;
  staleIfError: number;
  notFoundMaxAge: number;
  kvCacheTtl: number;
  /** Seconds an isolate reuses what it read from KV before asking again. */
  isolateCacheTtl: number;
  /** A KV call that takes longer than this counts as failed. */
  kvTimeoutMs: number;
  /** Byte budget of the in-isolate article cache. */
  renderCacheBytes: number;
  indexPageSize: number;
  /** A D1 call that takes longer than this counts as failed. */
  d1TimeoutMs: number;
  /** Articles in each Atom feed. */
  feedSize: number;
  /** Seconds search results may be cached, by browsers and shared caches alike. */
  searchMaxAge: number;
  /** URLs in one child sitemap (the protocol allows 50,000). */
  sitemapUrls: number;
  /** Byte budget for rendered list pages, feeds and sitemaps in each isolate; 0 keeps none. */
  listCacheBytes: number;
  /** KV pages (of 1,000 keys) the Cron Trigger's reconciler checks per run. */
  reconcilePages: number;
  /** Article files the reconciler may read per run, for keys without publish metadata or with a changed hash. */
  reconcileReads: number;
  /**
   * How long an editor's write to the index outranks what readers see in KV:
   * long enough for every location's KV cache to have caught up with it.
   */
  indexTrustMs: number;
  timeZone: string;
  /** Sections linked from the masthead, in order. */
  sections: string[];
  /** How raster images are offered resized: the worker's own variants, Cloudflare's `/cdn-cgi/image/`, or not at all. */
  imageResizing: ImageResizing;
  /** The request header that holds the reader's address, which search's rate limit is keyed by. */
  clientIpHeader: string;
  /** Where a reader's banner test arm comes from: the gateway reading the cookie, or a header a cache in front sets from it. */
  bannerTestAssignment: 'cookie' | 'header';
  /** Whether banner events are also counted in D1 (`banner_counts`), for development and tests, where Analytics Engine drops them. */
  bannerLocalCounts: boolean;
}

/**
 * The configuration, plus what is derived from it once rather than on every
 * request: the site when its origin is fixed, how KV is read, the
 * Cache-Control strings, and the page version.
 */
export interface Config extends Settings {
  /** The site, when `SITE_URL` fixes its origin; otherwise each request's origin makes it. */
  site: Site | null;
  kvOptions: LoadOptions;
  cacheControl: {
    /** Browsers: `max-age`, `stale-while-revalidate`, `stale-if-error`. */
    browser: string;
    /** Shared caches, for `CDN-Cache-Control` (RFC 9213). */
    cdn: string;
  };
  /**
   * The version of everything that renders pages besides content: the
   * templates, the stylesheet, the deployment (Cloudflare's version id changes
   * with every deploy) and every setting above. It goes into every ETag, so no
   * change of code or configuration is answered with a 304 for old bytes.
   */
  pageVersion: string;
}

/** Every var configuration reads (the `[vars]` of wrangler.toml, documented in the README). */
export const ENV_VARS = [
  'SITE_NAME', 'SITE_LANGUAGE', 'SITE_URL', 'REGION_HEADERS', 'BROWSER_MAX_AGE', 'CDN_MAX_AGE', 'STALE_WHILE_REVALIDATE', 'STALE_IF_ERROR',
  'NOT_FOUND_MAX_AGE', 'KV_CACHE_TTL', 'KV_TIMEOUT_MS', 'ISOLATE_CACHE_TTL', 'RENDER_CACHE_MB', 'INDEX_PAGE_SIZE', 'TIME_ZONE',
  'SECTIONS', 'IMAGE_RESIZING', 'D1_TIMEOUT_MS', 'FEED_SIZE', 'SEARCH_MAX_AGE', 'SITEMAP_URLS', 'LIST_CACHE_MB',
  'RECONCILE_PAGES', 'RECONCILE_READS', 'CLIENT_IP_HEADER', 'BANNER_TEST_ASSIGNMENT', 'BANNER_LOCAL_COUNTS',
] as const;

/** The subset of the generated `Env` that configuration reads. */
export type ConfigVars = Partial<Record<(typeof ENV_VARS)[number], string | number | undefined>>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** The masthead's sections when `SECTIONS` is not set (wrangler.toml sets the same). */
const DEFAULT_SECTIONS = 'world, politics, science, local, culture, business, opinion';
const CF_COUNTRY = 'cf.country';

// One configuration per `env` object: the runtime hands the same object to every request.
const configs = new WeakMap<object, Config>();

/** Parses and validates `env` once; later calls with the same object are free. */
export function getConfig(env: ConfigVars & { CF_VERSION_METADATA?: { id?: string } }): Config {
  let config = configs.get(env);
  if (!config) {
    config = parseConfig(env, env.CF_VERSION_METADATA?.id);
    configs.set(env, config);
  }
  return config;
}

/** The configuration for `env`, deployed as `deployId` (Cloudflare's version metadata). */
export function parseConfig(env: ConfigVars, deployId?: string): Config {
  const settings = parseSettings(env);
  const lifetimes = (maxAge: number) => `max-age=${maxAge}, stale-while-revalidate=${settings.staleWhileRevalidate}, stale-if-error=${settings.staleIfError}`;
  return {
    ...settings,
    site: settings.siteUrl ? siteOf(settings, settings.siteUrl) : null,
    kvOptions: {
      cacheTtl: settings.kvCacheTtl, timeoutMs: settings.kvTimeoutMs, isolateTtl: settings.isolateCacheTtl, cacheBytes: settings.renderCacheBytes,
    },
    cacheControl: { browser: `public, ${lifetimes(settings.browserMaxAge)}`, cdn: lifetimes(settings.cdnMaxAge) },
    pageVersion: fingerprint(`${TEMPLATE_VERSION}|${STYLESHEET_VERSION}|${deployId ?? ''}|${JSON.stringify(settings)}`),
  };
}

function parseSettings(env: ConfigVars): Settings {
  const regionSources = parseRegionSources(text(env, 'REGION_HEADERS', 'CF-IPCountry, cf.country'));
  const siteUrl = text(env, 'SITE_URL', '').replace(/\/+$/, '');
  if (siteUrl && !/^https?:\/\/[^/?#\s]+$/.test(siteUrl)) {
    throw new ConfigError(`SITE_URL must be an origin such as https://news.example, got ${JSON.stringify(siteUrl)}`);
  }
  const timeZone = text(env, 'TIME_ZONE', 'UTC');
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ConfigError(`TIME_ZONE must be an IANA time zone such as Europe/London, got ${JSON.stringify(timeZone)}`);
  }
  const sections = text(env, 'SECTIONS', DEFAULT_SECTIONS).split(',').map((s) => s.trim()).filter(Boolean);
  const badSection = sections.find((s) => !SEGMENT_PATTERN.test(s));
  if (badSection !== undefined) {
    throw new ConfigError(`SECTIONS must list sections such as "world, arts-and-culture", got ${JSON.stringify(badSection)}`);
  }
  const imageResizing = text(env, 'IMAGE_RESIZING', 'images') as ImageResizing;
  if (imageResizing !== 'images' && imageResizing !== 'none' && imageResizing !== 'cloudflare') {
    throw new ConfigError(`IMAGE_RESIZING must be "images", "cloudflare" or "none", got ${JSON.stringify(imageResizing)}`);
  }
  const bannerTestAssignment = text(env, 'BANNER_TEST_ASSIGNMENT', 'cookie');
  if (bannerTestAssignment !== 'cookie' && bannerTestAssignment !== 'header') {
    throw new ConfigError(`BANNER_TEST_ASSIGNMENT must be "cookie" or "header", got ${JSON.stringify(bannerTestAssignment)}`);
  }
  const localCounts = text(env, 'BANNER_LOCAL_COUNTS', 'false');
  if (localCounts !== 'true' && localCounts !== 'false') throw new ConfigError(`BANNER_LOCAL_COUNTS must be "true" or "false", got ${JSON.stringify(localCounts)}`);
  const siteName = text(env, 'SITE_NAME', 'Broadsheet');
  const siteLanguage = text(env, 'SITE_LANGUAGE', 'en');
  if (!Object.hasOwn(LANGUAGES, siteLanguage)) {
    throw new ConfigError(`SITE_LANGUAGE must be one of ${Object.keys(LANGUAGES).join(', ')}, got ${JSON.stringify(siteLanguage)}`);
  }
  const clientIpHeader = text(env, 'CLIENT_IP_HEADER', 'CF-Connecting-IP');
  if (!HEADER_NAME.test(clientIpHeader)) throw new ConfigError(`CLIENT_IP_HEADER must be a header name, got ${JSON.stringify(clientIpHeader)}`);
  const kvCacheTtl = Math.max(30, seconds(env, 'KV_CACHE_TTL', 60));
  const indexPageSize = integer(env, 'INDEX_PAGE_SIZE', 20, 1, 100);
  const feedSize = integer(env, 'FEED_SIZE', 30, 1, 200);
  const sitemapUrls = integer(env, 'SITEMAP_URLS', 50_000, 1, 50_000);
  return {
    siteName,
    siteLanguage,
    siteUrl: siteUrl || null,
    region: { sources: regionSources, vary: varyFor(regionSources) },
    browserMaxAge: seconds(env, 'BROWSER_MAX_AGE', 60),
    cdnMaxAge: seconds(env, 'CDN_MAX_AGE', 300),
    staleWhileRevalidate: seconds(env, 'STALE_WHILE_REVALIDATE', 60),
    staleIfError: seconds(env, 'STALE_IF_ERROR', 86_400),
    notFoundMaxAge: seconds(env, 'NOT_FOUND_MAX_AGE', 30),
    kvCacheTtl,
    isolateCacheTtl: integer(env, 'ISOLATE_CACHE_TTL', 5, 0, 3600),
    kvTimeoutMs: integer(env, 'KV_TIMEOUT_MS', 2000, 100, 30_000),
    renderCacheBytes: integer(env, 'RENDER_CACHE_MB', 32, 1, 96) * 1024 * 1024,
    indexPageSize,
    d1TimeoutMs: integer(env, 'D1_TIMEOUT_MS', 2000, 100, 30_000),
    feedSize,
    searchMaxAge: seconds(env, 'SEARCH_MAX_AGE', 60),
    sitemapUrls,
    listCacheBytes: integer(env, 'LIST_CACHE_MB', 8, 0, 64) * 1024 * 1024,
    reconcilePages: integer(env, 'RECONCILE_PAGES', 10, 1, 100),
    reconcileReads: integer(env, 'RECONCILE_READS', 200, 1, 900),
    // KV's own cache lifetime, plus two minutes for a write to reach every location.
    indexTrustMs: (kvCacheTtl + 120) * 1000,
    timeZone,
    sections,
    imageResizing,
    clientIpHeader,
    bannerTestAssignment,
    bannerLocalCounts: localCounts === 'true',
  };
}

/** The site at `origin`: its name, language, time zone and sections. */
export function siteOf(settings: Settings, origin: string): Site {
  const tagAuthority = settings.siteUrl ? new URL(settings.siteUrl).hostname : `${foldToSegment(settings.siteName) || 'site'}.invalid`;
  return {
    name: settings.siteName, origin, timeZone: settings.timeZone, sections: settings.sections, language: settings.siteLanguage, tagAuthority,
    imageResizing: settings.imageResizing,
  };
}

/**
 * The `Vary` value for region-dependent responses: every configured header,
 * once each. `request.cf.country` is not a header a cache can see, but it is
 * Cloudflare's reading of the connecting IP, which Cloudflare also sends as
 * `CF-IPCountry`; so that source varies on `CF-IPCountry`, and a cache is
 * never left with no `Vary` at all.
 */
export function varyFor(sources: readonly RegionSource[]): string {
  const names: string[] = [];
  for (const source of sources) {
    const name = source.kind === 'header' ? source.name : 'CF-IPCountry';
    if (!names.some((n) => n.toLowerCase() === name.toLowerCase())) names.push(name);
  }
  return names.join(', ');
}

/** Parses `"CF-IPCountry, cf.country"` into sources, refusing anything that is not a header name. */
export function parseRegionSources(list: string): RegionSource[] {
  const sources: RegionSource[] = [];
  for (const entry of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (entry.toLowerCase() === CF_COUNTRY) {
      sources.push({ kind: 'cf' });
    } else if (HEADER_NAME.test(entry)) {
      sources.push({ kind: 'header', name: entry });
    } else {
      throw new ConfigError(`REGION_HEADERS: ${JSON.stringify(entry)} is not a header name or "${CF_COUNTRY}"`);
    }
  }
  return sources;
}

function text(env: ConfigVars, name: keyof ConfigVars, fallback: string): string {
  const value = env[name];
  return value === undefined || value === null ? fallback : String(value).trim();
}

function integer(env: ConfigVars, name: keyof ConfigVars, fallback: number, min: number, max: number): number {
  const raw = text(env, name, String(fallback));
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

function seconds(env: ConfigVars, name: keyof ConfigVars, fallback: number): number {
  return integer(env, name, fallback, 0, 31_536_000);
}
