/**
 * Turning what a route found into a response, with the caching contract:
 * cacheable bodies (with a 304 when the client is current), 404s with a short
 * lifetime, and work that may finish after the response.
 */
import type { Context } from 'hono';
import { NO_STORE, cacheHeaders, entityTag, isNotModified, notFoundCacheControl, type Representation } from './cache-headers.ts';
import type { ListBody } from '../listing/bodies.ts';
import { renderGonePage, renderNotFoundPage } from '../views/error-pages.ts';
import type { AppEnv } from './app-env.ts';
import { executionContext } from './context.ts';

/** A body as bytes or text, a list body that may turn out to be a stale copy, or null: no such document after all (a 404). */
export type Body = Uint8Array | string | ListBody | null;

/**
 * A cacheable response: its caching headers always, then a 304 if the client
 * already holds this representation, else the body, produced only now. A
 * stale copy (KV or D1 failed, or the index says a newer version exists than
 * this location could read) is sent whole, with its own ETag, marked not to
 * be stored. A body of null is a 404, cacheable no longer than the
 * representation. `If-None-Match: *` matches only a document that exists, so
 * it is answered once the body says whether there is one.
 */
export async function respond(
  c: Context<AppEnv>,
  rep: Representation,
  contentType: string,
  stale: boolean,
  body: () => Body | Promise<Body>,
): Promise<Response> {
  const config = c.get('config'), now = c.get('now');
  const anyVersion = c.req.header('If-None-Match')?.trim() === '*';
  if (!stale && !anyVersion && isNotModified(c.req.raw, rep)) return c.body(null, 304, cacheHeaders(config, rep, { now }));
  const produced = await body();
  if (produced === null) return notFound(c, { until: rep.expiresAt, tags: rep.tags, stale });
  let bytes: Uint8Array;
  if (typeof produced === 'string') bytes = new TextEncoder().encode(produced);
  else if (produced instanceof Uint8Array) bytes = produced;
  else {
    bytes = produced.bytes;
    if (produced.stale) {
      stale = true;
      rep = { ...rep, etag: produced.etag };
    }
  }
  if (!stale && anyVersion && isNotModified(c.req.raw, rep)) return c.body(null, 304, cacheHeaders(config, rep, { now }));
  // An explicit length keeps HEAD's headers identical to GET's.
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    ...cacheHeaders(config, rep, { stale, now }),
    'Content-Type': contentType,
    'Content-Length': String(bytes.byteLength),
  });
}

/**
 * The 404 page, cacheable briefly, and never past `until` (when a scheduled
 * article appears). `tags` are the purge tags of what would be at this URL,
 * so publishing it drops the cached 404 at once; `stale` (the index knows of
 * a version this location cannot read yet) keeps every cache from storing it.
 */
export function notFound(c: Context<AppEnv>, { until, tags, stale = false }: { until?: number; tags?: string[]; stale?: boolean } = {}): Response {
  return c.html(renderNotFoundPage(c.get('site')), 404, errorHeaders(c, { until, tags, stale }));
}

/**
 * `410 Gone`: an article taken down on purpose, with the reason the editors
 * gave. Cached like a 404, briefly, under the article's purge tags, so
 * publishing the slug again brings it back at once.
 */
export function gone(c: Context<AppEnv>, { tags, reason }: { tags: string[]; reason: string | null }): Response {
  return c.html(renderGonePage(c.get('site'), reason), 410, errorHeaders(c, { tags }));
}

/**
 * An error about a media URL, as plain text: a width outside the allowlist
 * or a parameter (400), an image that cannot be resized (422), no such file
 * (404). Cached briefly like a 404, or not at all when `transient` (the
 * image service failing may be an outage rather than the file).
 */
export function mediaError(c: Context<AppEnv>, status: 400 | 404 | 416 | 422, message: string, { transient = false } = {}): Response {
  return c.text(`${message}\n`, status, errorHeaders(c, { stale: transient }));
}

/** The headers of a cacheable error: its short lifetime (none at all when `stale`), and the purge tags of what belongs at the URL. */
function errorHeaders(c: Context<AppEnv>, { until, tags, stale = false }: { until?: number; tags?: string[]; stale?: boolean }): Record<string, string> {
  const headers: Record<string, string> = {
    'Cache-Control': stale ? NO_STORE : notFoundCacheControl(c.get('config'), until, c.get('now')),
  };
  if (tags?.length) {
    headers['Cache-Tag'] = tags.join(',');
    headers['Surrogate-Key'] = tags.join(' ');
  }
  return headers;
}

/**
 * A permanent redirect to `location` (a path on this site), which caches
 * keep like a page and drop with `tags`: those of the URL and of where it
 * leads, so a change at either end purges it.
 */
export function movedPermanently(c: Context<AppEnv>, location: string, tags: string[]): Response {
  const headers = cacheHeaders(c.get('config'), { etag: entityTag('moved', location, c.get('version')), tags }, { now: c.get('now') });
  return c.body(null, 301, { ...headers, Location: location });
}

/**
 * Hands work that may finish after the response to the runtime
 * (`waitUntil`); without an execution context (a test calling `app.fetch`
 * directly), the work simply runs on. The work must handle its own errors.
 */
export function later(c: Context<AppEnv>): (work: Promise<unknown>) => void {
  const context = executionContext(c);
  return (work) => {
    if (context) context.waitUntil(work);
  };
}
