/** The one error path: every unmatched path is the 404 page; every failure is logged with context and answered with a safe page no one stores. */
import type { ErrorHandler, NotFoundHandler } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { NO_STORE } from '../http/cache-headers.ts';
import { origin, rawPath } from '../http/request.ts';
import { notFound } from '../http/respond.ts';
import { StorageUnavailableError, StoredContentError } from '../storage/failures.ts';
import { renderErrorPage } from '../views/error-pages.ts';

export const notFoundPage: NotFoundHandler<AppEnv> = (c) => notFound(c);

/** KV or D1 failing is a 503 with `Retry-After`; anything else a 500. Neither may be cached. */
export const errorPage: ErrorHandler<AppEnv> = (error, c) => {
  const status = error instanceof StorageUnavailableError ? 503 : 500;
  console.error(JSON.stringify({
    event: status === 503 ? 'storage.unavailable' : 'request.error',
    path: rawPath(c.req.url),
    ...(error instanceof StoredContentError && { slug: error.key }),
    error: `${error.name}: ${error.message}`,
  }));
  const site = c.get('site') ?? { name: 'Broadsheet', origin: origin(c.req.url), timeZone: 'UTC', sections: [], language: 'en', tagAuthority: 'broadsheet.invalid' };
  return c.html(renderErrorPage(site, status), status, {
    'Cache-Control': NO_STORE,
    ...(status === 503 && { 'Retry-After': '30' }),
  });
};
