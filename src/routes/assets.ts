/** Routes for the site's own files: the stylesheet and the icon (media are `media.ts`). */
import type { Handler } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { IMMUTABLE } from '../http/cache-headers.ts';
import { FAVICON, STYLESHEET, STYLESHEET_PATH } from '../views/styles.ts';

/**
 * `/assets/site.<hash>.css`: the stylesheet at a URL that changes with its
 * content, immutable. Any other hash is a page from another deploy (cached
 * before this one, served by the old version during a gradual rollout, or
 * stale-if-error) asking for its stylesheet: it gets the current one rather
 * than an unstyled page, cached only as long as a page is.
 */
export const stylesheet: Handler<AppEnv> = (c) => {
  const current = c.get('path') === STYLESHEET_PATH;
  const config = c.get('config');
  return c.body(STYLESHEET, 200, {
    'Content-Type': 'text/css; charset=utf-8',
    ...(current ? { 'Cache-Control': IMMUTABLE } : { 'Cache-Control': config.cacheControl.browser, 'CDN-Cache-Control': config.cacheControl.cdn }),
  });
};

export const favicon: Handler<AppEnv> = (c) =>
  c.body(FAVICON, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=86400' });
