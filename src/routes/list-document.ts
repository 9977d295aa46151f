/**
 * How every document answered from the D1 index is served (list pages,
 * feeds, sitemaps, search): the list's state decides its ETag, so a 304
 * costs at most that one small query; the body is read and
 * rendered only when needed, once per index version per isolate, in one batch
 * with the state again, so the body is always of the version its ETag names.
 * When D1 fails, the last copy is served `no-store`, or the request fails
 * with a 503.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import type { Representation } from '../http/cache-headers.ts';
import { notFound, respond } from '../http/respond.ts';
import { lastListBody, listBody } from '../listing/bodies.ts';
import { loadListState, withListState, type ListState } from '../listing/state.ts';
import { StorageUnavailableError } from '../storage/failures.ts';
import type { IndexDb } from '../storage/index-db.ts';

/** What a list document is, once the list's state is known. */
export interface ListDocument {
  etag: string;
  /** Overrides the state's next scheduled time as the end of this document's lifetime. */
  expiresAt?: number;
  /** A shorter lifetime than the configured one (search results). */
  maxAge?: number;
  /** Served but not stored: something it is made from besides the index (the fronts file) could not be read as current. */
  stale?: boolean;
  /** Reads what the document shows from `db` and renders it; null when it turns out to be empty (a 404). */
  render: (db: IndexDb) => Promise<string | null>;
}

/**
 * Serves the document `describe` makes of `list`'s state (null: no such
 * document, a 404 that carries `tags` too). `name` identifies it in the
 * rendered-list memo.
 */
export async function serveListDocument(
  c: Context<AppEnv>,
  list: string,
  name: string,
  contentType: string,
  tags: string[],
  describe: (state: ListState) => ListDocument | null | Promise<ListDocument | null>,
): Promise<Response> {
  const config = c.get('config'), now = c.get('now');
  const key = `${c.get('site').origin}|${name}|${c.get('version')}`;
  let state: ListState, stale: boolean, doc: ListDocument | null;
  try {
    ({ state, stale } = await loadListState(c.get('index'), list, { now, isolateTtl: config.isolateCacheTtl, timeoutMs: config.d1TimeoutMs }));
    doc = await describe(state);
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    const kept = lastListBody(key, config.listCacheBytes, error);
    return respond(c, { etag: kept.etag, tags }, contentType, true, () => kept);
  }
  if (!doc) return notFound(c, { until: state.nextScheduled, tags });
  const expiresAt = doc.expiresAt ?? state.nextScheduled;
  const rep: Representation = {
    etag: doc.etag,
    tags,
    ...(state.lastModified !== undefined && { lastModified: state.lastModified }),
    ...(expiresAt !== undefined && { expiresAt }),
    ...(doc.maxAge !== undefined && { maxAge: doc.maxAge }),
  };
  return respond(c, rep, contentType, stale || doc.stale === true, () => listBody(key, rep.etag, config.listCacheBytes, async () => {
    const snapshot = withListState(c.get('index'), list, now);
    const text = await doc.render(snapshot.db);
    if (text === null) return null;
    const moved = snapshot.states().find((seen) => seen.version !== state.version);
    if (moved) console.warn(JSON.stringify({ event: 'list.version_moved', list, name, from: state.version, to: moved.version }));
    return { text, current: !moved };
  }));
}
