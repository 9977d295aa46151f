/**
 * The front page: `/` shows the reader's edition (it varies by region group,
 * like an article page), `/editions/<id>` shows one edition to everyone, and
 * `/latest` is the full newest-first list with its pages. Fronts are
 * answered from the D1 index like every list (`list-document.ts`): the front
 * list's state decides the ETag, with the fronts file's hash and the
 * edition; the body is one batch of reads whatever the number of containers.
 * An edition the fronts file gives no containers, and a site with no fronts
 * file, show the newest-first list, as before fronts.
 */
import type { Context, Handler } from 'hono';
import { configFreshness } from '../articles/freshness.ts';
import { FRONTS_TAG, FRONT_TAG, INDEX_TAG } from '../content/cache-tags.ts';
import { editionAlternates, editionById, editionFor, type Edition, type Fronts } from '../content/fronts.ts';
import { SEGMENT_PATTERN } from '../content/slug.ts';
import type { AppEnv } from '../http/app-env.ts';
import { entityTag } from '../http/cache-headers.ts';
import { parsePage } from '../http/request.ts';
import { movedPermanently, notFound } from '../http/respond.ts';
import { listEntries } from '../listing/entries.ts';
import { fillFront } from '../listing/front.ts';
import { loadFronts } from '../listing/fronts-file.ts';
import { FRONT_LIST } from '../storage/index-rows.ts';
import { renderFrontPage } from '../views/front-page.ts';
import { renderListPage } from '../views/list-page.ts';
import { serveListDocument } from './list-document.ts';

const HTML = 'text/html; charset=utf-8';
/** Every front carries these: any publish that changes what a front may show purges `front`; a fronts file change purges `fronts`. */
const FRONT_TAGS = [INDEX_TAG, FRONT_TAG, FRONTS_TAG];

/** `/`: the reader's edition. `/?page=N` was the newest-first list's page N before fronts; it lives at `/latest` now. */
export const frontPage: Handler<AppEnv> = (c) => {
  const raw = c.req.query('page');
  if (raw !== undefined) {
    const page = parsePage(raw);
    if (page === null) return notFound(c);
    if (page > 1) return movedPermanently(c, `/latest?page=${page}`, FRONT_TAGS);
  }
  return serveFront(c, '/', (fronts) => editionFor(fronts, c.get('region')));
};

/** `/editions/<id>`: one edition's front, the same for every reader. */
export const editionPage: Handler<AppEnv> = (c) => {
  const id = c.req.param('id') ?? '';
  if (!SEGMENT_PATTERN.test(id)) return Promise.resolve(notFound(c));
  return serveFront(c, `/editions/${id}`, (fronts) => editionById(fronts, id), true);
};

async function serveFront(c: Context<AppEnv>, path: string, pick: (fronts: Fronts) => Edition | null, mustExist = false): Promise<Response> {
  const config = c.get('config'), now = c.get('now'), meter = c.get('meter');
  const load = (fresh: boolean) => loadFronts(c.env.ARTICLES, config.kvOptions, { now, meter, fresh });
  const first = await load(false);
  const chosen = pick(first.value);
  if (mustExist && !chosen) return notFound(c, { tags: FRONT_TAGS });
  // Named by edition too, so the rendered-list memo keeps each edition's front at / side by side.
  return serveListDocument(c, FRONT_LIST, `front|${path}|${chosen?.id ?? ''}`, HTML, FRONT_TAGS, async (state) => {
    // The index says an editor published another fronts file than this location's KV gave (the purge race): read
    // it again past the memo; if KV still gives the old one, the front is served, but no cache keeps it.
    let fronts = first, behind = configFreshness(state.frontsFile, fronts, config.indexTrustMs) === 'behind';
    if (behind) {
      fronts = await load(true);
      behind = configFreshness(state.frontsFile, fronts, config.indexTrustMs) === 'behind';
      if (behind) console.warn(JSON.stringify({ event: 'fronts.behind_index', kv: fronts.hash, index: state.frontsFile.hash }));
    }
    const edition = pick(fronts.value);
    if (mustExist && !edition) return null;
    const containers = edition ? fronts.value.fronts[edition.id] : undefined;
    const editions = edition ? { current: edition, all: fronts.value.editions } : undefined;
    const alternates = editionAlternates(fronts.value, 'en');
    return {
      etag: entityTag(state.version, 'front', path === '/' ? 'reader' : 'own', edition?.id ?? 'all', (fronts.hash ?? 'none').slice(0, 16), c.get('version')),
      stale: fronts.stale || behind,
      render: async (db) => {
        if (!containers) {
          const entries = await listEntries(db, FRONT_LIST, { total: state.total, now, page: 1, size: config.indexPageSize });
          const pageCount = Math.max(1, Math.ceil(state.total / config.indexPageSize));
          return meter.render(() => renderListPage({
            site: c.get('site'), view: { kind: 'front' }, entries, page: 1, pageCount,
            asFront: { path, canonicalPath: path, ...(editions && { editions }), alternates },
          }));
        }
        const filled = await fillFront(db, containers, now);
        return meter.render(() => renderFrontPage({ site: c.get('site'), editions: editions!, containers: filled, path, alternates }));
      },
    };
  });
}
