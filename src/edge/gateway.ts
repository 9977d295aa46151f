/**
 * The gateway: the worker's uncached entry point, which every request meets
 * first. It does as little as it can, because it runs on every request,
 * cache hits included:
 *
 * - the purge route, checked here and carried out by the cached entry point;
 * - editors' previews, answered by the pages directly (no cache lookup);
 * - everything else goes to the cached entry point (`Pages`, in `index.ts`)
 *   through `ctx.exports`, with the reader's region group in `ctx.props` on
 *   the routes that carry a banner. Workers Cache keys by props, so it keeps
 *   one copy per group of an article page and one copy of everything else.
 *
 * On article pages, a reader enrolled in a banner test (the `bs_test`
 * cookie, checked against the banners file) is passed on with their arm in
 * `ctx.props` too, so the cache keeps one copy per group and arm, and the
 * response goes out `private`, since no cache after this one can tell arms
 * apart (`BANNER_TEST_ASSIGNMENT = "cookie"`).
 *
 * The forwarded request is trimmed to what the pages read: the canonical URL
 * (`partition.ts`), and no region header, cookie or credentials. The
 * response's `Vary` names the region headers for caches downstream, but the
 * cache in front of the pages sees none of them, so its copies split by
 * props alone. Where Workers Cache is on, client validators are kept back
 * too, and the gateway answers `If-None-Match` itself from what the cache
 * returned: the cache is never asked to store a 304.
 */
import type { Config } from '../config.ts';
import { getConfig } from '../config.ts';
import type { PurgeBody } from '../content/purge-request.ts';
import { NO_STORE, matchesEntityTag } from '../http/cache-headers.ts';
import { rawPath } from '../http/request.ts';
import { regionOf } from '../region/region.ts';
import { TEST_COOKIE, validArm } from '../content/banner-plan.ts';
import { isRegionGroup } from '../content/region-groups.ts';
import { ARM_HEADER } from '../region/banner-choice.ts';
import { loadBannerCopy } from '../region/banner-store.ts';
import { bypassesCache, canonicalUrl, carriesBannerTest, variesByRegion, type CacheProps } from './partition.ts';
import { PURGE_PATH, handlePurge, purgeWorkersCache, type PurgeOutcome } from './purge.ts';

/** The cached entry point as `ctx.exports` hands it out. */
export interface PagesEntrypoint {
  fetch(request: Request): Promise<Response>;
  purge(body: PurgeBody): Promise<PurgeOutcome>;
}

/** What the gateway uses of its execution context: `exports.Pages`, and `cache` where Workers Cache is on. */
type GatewayContext = ExecutionContext & { exports?: { Pages?: (options: { props: CacheProps }) => PagesEntrypoint } };

type Handler = (request: Request, env: Env, ctx?: ExecutionContext) => Response | Promise<Response>;

/** Request headers the pages never read and the cache must not see. */
const DROPPED = ['Cookie', 'Authorization'];
/** Client validators, kept from the cache where Workers Cache is on: the gateway answers them. */
const VALIDATORS = ['If-None-Match', 'If-Modified-Since', 'If-Match', 'If-Unmodified-Since', 'If-Range'];

/** The gateway's fetch handler, in front of `pages` (the app, called directly when there is no cached entry point to call). */
export function gateway(pages: Handler): (request: Request, env: Env, ctx?: ExecutionContext) => Promise<Response> {
  return async (request, env, context) => {
    const ctx = context as GatewayContext | undefined;
    const path = rawPath(request.url);
    const cached = ctx?.exports?.Pages;
    if (path === PURGE_PATH) {
      return handlePurge(request, env.PURGE_SECRET, Date.now(), (body) => (cached ? cached({ props: {} }).purge(body) : purgeWorkersCache(undefined, body)));
    }
    if (!cached || (request.method !== 'GET' && request.method !== 'HEAD') || bypassesCache(path, request.url, request.headers.get('Range'))) {
      return pages(request, env, ctx);
    }
    let config: Config;
    try {
      config = getConfig(env);
    } catch {
      return pages(request, env, ctx); // the app's error path says what is wrong
    }
    const props: CacheProps = variesByRegion(path) ? { group: regionOf(request, config.region.sources) } : {};
    const arm = props.group && carriesBannerTest(path) ? await readerArm(request, env, config, props.group) : null;
    if (arm) props.arm = arm;
    const workersCache = ctx.cache !== undefined;
    // `manual`: a redirect from the pages is the answer to send on, never one to follow here.
    const forward = new Request(canonicalUrl(request.url), { method: request.method, headers: forwardedHeaders(request.headers, config, workersCache), redirect: 'manual' });
    let response: Response;
    try {
      response = await cached({ props }).fetch(forward);
    } catch (error) {
      // The cache layer failing must not take the site down: answer uncached.
      console.error(JSON.stringify({ event: 'gateway.pages_failed', path, error: String(error) }));
      return pages(request, env, ctx);
    }
    // A test arm's page is kept apart in Workers Cache (by props) but nowhere after it: no shared cache downstream can tell arms apart.
    if (arm && config.bannerTestAssignment === 'cookie') response = privateToReader(response);
    return workersCache ? answerConditional(request, response) : response;
  };
}

/**
 * The reader's arm: from the `bs_test` cookie, or in header mode from the
 * `Broadsheet-Arm` header a cache in front set (which then keys its own
 * copies by it; it goes into props too, so Workers Cache, if it is on as
 * well, can never store one arm's page under another's key). Kept only when
 * it names an arm of the test live in the reader's group (checked against
 * the banners file, read through the isolate's memo); null otherwise, and
 * without a KV read when the request names no arm. A forged or stale value is
 * ignored, so it cannot add a copy to the cache.
 */
async function readerArm(request: Request, env: Env, config: Config, group: string): Promise<string | null> {
  const value = config.bannerTestAssignment === 'cookie' ? cookieValue(request.headers.get('Cookie'), TEST_COOKIE) : request.headers.get(ARM_HEADER);
  if (!value || !isRegionGroup(group)) return null;
  try {
    const file = await loadBannerCopy(env.ARTICLES, config.kvOptions, { now: Date.now() });
    return validArm(file.value, group, value, Date.now());
  } catch {
    return null; // KV failing: the reader sees the control, as any cache would show them
  }
}

/** One cookie's value from a `Cookie` header, or null. */
function cookieValue(header: string | null, name: string): string | null {
  if (!header || header.length > 8192) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The response for the reader alone: `private`, with no lifetime for shared caches. */
function privateToReader(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set('Cache-Control', (headers.get('Cache-Control') ?? 'max-age=0').replace(/^public\b/, 'private').replace(/^(?!private)/, 'private, '));
  headers.delete('CDN-Cache-Control');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function forwardedHeaders(headers: Headers, config: Config, keepValidatorsBack: boolean): Headers {
  const forwarded = new Headers(headers);
  for (const source of config.region.sources) if (source.kind === 'header') forwarded.delete(source.name);
  for (const name of DROPPED) forwarded.delete(name);
  if (keepValidatorsBack) for (const name of VALIDATORS) forwarded.delete(name);
  return forwarded;
}

/**
 * The reader's `If-None-Match` against the response the cache (or the pages)
 * gave: a match is a 304 with the response's headers and no body. Only a
 * storable 200 can be "not modified"; `If-Modified-Since` alone never is (see
 * `isNotModified`).
 */
export function answerConditional(request: Request, response: Response): Response {
  const etag = response.headers.get('ETag');
  const ifNoneMatch = request.headers.get('If-None-Match');
  const cacheControl = response.headers.get('Cache-Control') ?? '';
  if (response.status !== 200 || etag === null || ifNoneMatch === null || /no-store|private/.test(cacheControl)) return response;
  if (!matchesEntityTag(ifNoneMatch, etag)) return response;
  void response.body?.cancel();
  const headers = new Headers(response.headers);
  headers.delete('Content-Type');
  headers.delete('Content-Length');
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', NO_STORE);
  return new Response(null, { status: 304, headers });
}
