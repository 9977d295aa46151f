/**
 * The middleware every request passes first: only GET and HEAD go on, and
 * what the handlers share is worked out once (configuration, the site, the
 * clock, the D1 session, the meter behind `Server-Timing`).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { RenderContext } from '../articles/render.ts';
import { getConfig, type Config } from '../config.ts';
import { indexDb } from '../storage/index-db.ts';
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

/** Sets the request's shared values, and `Server-Timing` on the way out. */
export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const config = getConfig(c.env);
  const url = c.req.url;
  const meter = new Meter();
  c.set('config', config);
  c.set('path', rawPath(url));
  c.set('site', siteFor(config, url));
  c.set('now', Date.now());
  c.set('meter', meter);
  c.set('index', indexDb(c.env.INDEX, config.d1TimeoutMs, meter));
  await next();
  c.res.headers.set('Server-Timing', meter.header());
};

/** The site: fixed by `SITE_URL`, or else this request's origin. */
export function siteFor(config: Config, url: string): Site {
  return config.site ?? { name: config.siteName, origin: origin(url), timeZone: config.timeZone, sections: config.sections };
}

/** What rendering an article needs, from the request's context. */
export function renderContext(c: Context<AppEnv>): RenderContext {
  const config = c.get('config');
  return {
    site: c.get('site'),
    version: config.pageVersion,
    kv: c.env.ARTICLES,
    kvOptions: config.kvOptions,
    imageResizing: config.imageResizing,
    cacheBytes: config.renderCacheBytes,
    meter: c.get('meter'),
  };
}
