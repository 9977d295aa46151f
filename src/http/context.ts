/**
 * The middleware every request passes first: only GET and HEAD go on, and
 * what the handlers share is worked out once (configuration, the site, the
 * clock, the D1 session, the meter behind `Server-Timing`).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { RenderContext } from '../articles/render.ts';
import { getConfig, siteOf, type Config } from '../config.ts';
import { fingerprint } from '../content/fingerprint.ts';
import { indexDb } from '../storage/index-db.ts';
import type { MediaSources } from '../storage/media-store.ts';
import type { Site } from '../views/layout.ts';
import type { AppEnv } from './app-env.ts';
import { NO_STORE } from './cache-headers.ts';
import { origin, rawPath } from './request.ts';
import { Meter } from './server-timing.ts';

/** Every route answers GET and HEAD; anything else is a 405 that says so. */
export const onlyGetAndHead: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    return c.text('Method Not Allowed\n', 405, { Allow: 'GET, HEAD', 'Cache-Control': NO_STORE });
  }
  await next();
};

/**
 * Sets the request's shared values; on the way out, `Server-Timing`, and
 * `Cache-Control: no-store` on any response that forgot to say how it may be
 * cached (Workers Cache would keep such a response for two hours).
 */
export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const config = getConfig(c.env);
  const url = c.req.url;
  const meter = new Meter();
  const site = siteFor(config, url);
  c.set('config', config);
  c.set('path', rawPath(url));
  c.set('site', site);
  c.set('version', config.site ? config.pageVersion : fingerprint(`${config.pageVersion}|${site.origin}`));
  c.set('now', Date.now());
  c.set('meter', meter);
  c.set('index', indexDb(c.env.INDEX, config.d1TimeoutMs, meter));
  await next();
  c.res.headers.set('Server-Timing', meter.header());
  if (!c.res.headers.has('Cache-Control')) {
    console.error(JSON.stringify({ event: 'response.no_cache_control', path: c.get('path'), status: c.res.status }));
    c.res.headers.set('Cache-Control', NO_STORE);
  }
};

/** The request's execution context, or undefined when the app was called without one (tests calling `app.fetch`). */
export function executionContext(c: Context): (ExecutionContext & { props?: { group?: string; arm?: string } }) | undefined {
  try {
    return c.executionCtx as ExecutionContext & { props?: { group?: string; arm?: string } };
  } catch {
    return undefined;
  }
}

/** The site: fixed by `SITE_URL`, or else this request's origin. */
export function siteFor(config: Config, url: string): Site {
  return config.site ?? siteOf(config, origin(url));
}

/** Where this request reads media from: the MEDIA bucket, falling back to KV. */
export function mediaSources(c: Context<AppEnv>): MediaSources {
  return { bucket: c.env.MEDIA, kv: c.env.ARTICLES, kvOptions: c.get('config').kvOptions, meter: c.get('meter') };
}

/** What rendering an article needs, from the request's context. */
export function renderContext(c: Context<AppEnv>): RenderContext {
  const config = c.get('config');
  return {
    site: c.get('site'),
    version: c.get('version'),
    media: mediaSources(c),
    imageResizing: config.imageResizing,
    cacheBytes: config.renderCacheBytes,
    meter: c.get('meter'),
  };
}
