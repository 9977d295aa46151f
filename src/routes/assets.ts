/** Routes for files that never change under their name: media from KV, the stylesheet, the icon. */
import type { Handler } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { IMMUTABLE } from '../http/cache-headers.ts';
import { notFound } from '../http/respond.ts';
import { getMedia } from '../storage/kv.ts';
import { FAVICON, STYLESHEET } from '../views/styles.ts';

/** `/media/<file>`: an image from KV, immutable (publish refuses to change the bytes behind a name). */
export const media: Handler<AppEnv> = async (c) => {
  const name = c.get('path').slice('/media/'.length);
  const file = await getMedia(c.env.ARTICLES, name, c.get('config').kvOptions, c.get('meter'));
  if (!file) return notFound(c);
  return c.body(file.body, 200, { 'Content-Type': file.contentType, 'Cache-Control': IMMUTABLE });
};

/** The stylesheet, at a URL that changes with its content. */
export const stylesheet: Handler<AppEnv> = (c) =>
  c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': IMMUTABLE });

export const favicon: Handler<AppEnv> = (c) =>
  c.body(FAVICON, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=86400' });
