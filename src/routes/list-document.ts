/**
 * How every document answered from the D1 index is served (list pages,
 * feeds, sitemaps, search): the list's state decides its ETag, so a 304 costs
 * at most that one small query; the body is read and rendered only when
 * needed, once per index version per isolate. When D1 fails, the last copy
 * is served `no-store`, or the request fails with a 503.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import type { Representation } from '../http/cache-headers.ts';
import { notFound, respond } from '../http/respond.ts';
import { lastListBody, listBody } from '../listing/bodies.ts';
import { loadListState, type ListState } from '../listing/state.ts';
import { StorageUnavailableError } from '../storage/failures.ts';

/** What a list document is, once the list's state is known. */
export interface ListDocument {
  etag: string;
  tags: string[];
  /** Overrides the state's next scheduled time as the end of this document's lifetime. */
  expiresAt?: number;
  /** A shorter lifetime than the configured one (search results). */
  maxAge?: number;
  /** Reads what the document shows from D1 and renders it; null when it turns out to be empty (a 404). */
  render: () => Promise<string | null>;
}

/**
 * Serves the document `describe` makes of `list`'s state (null: no such
 * document). `name` identifies it in the rendered-list memo.
 */
export async function serveListDocument(
  c: Context<AppEnv>,
  list: string,
  name: string,
  contentType: string,
  describe: (state: ListState) => ListDocument | null | Promise<ListDocument | null>,
): Promise<Response> {
  const config = c.get('config');
  const key = `${c.get('site').origin}|${name}|${config.pageVersion}`;
  let state: ListState, stale: boolean, doc: ListDocument | null;
  try {
    ({ state, stale } = await loadListState(c.get('index'), list, { now: c.get('now'), isolateTtl: config.isolateCacheTtl, timeoutMs: config.d1TimeoutMs }));
    doc = await describe(state);
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    const kept = lastListBody(key, config.listCacheBytes, error);
    return respond(c, { etag: kept.etag, tags: [] }, contentType, true, () => kept);
  }
  if (!doc) return notFound(c, state.nextScheduled);
  const expiresAt = doc.expiresAt ?? state.nextScheduled;
  const rep: Representation = {
    etag: doc.etag,
    tags: doc.tags,
    ...(state.lastModified !== undefined && { lastModified: state.lastModified }),
    ...(expiresAt !== undefined && { expiresAt }),
    ...(doc.maxAge !== undefined && { maxAge: doc.maxAge }),
  };
  return respond(c, rep, contentType, stale, () => listBody(key, rep.etag, config.listCacheBytes, doc.render));
}
