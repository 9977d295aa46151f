/**
 * Routes for the lists readers browse, answered from the D1 index: the front
 * page, a section, a topic (tag) or an author, each with its pages and its
 * Atom feed; and full-text search.
 */
import type { Context, Handler } from 'hono';
import { fingerprint } from '../content/fingerprint.ts';
import { FEED_TAG, INDEX_TAG, SEARCH_TAG, listTag } from '../content/cache-tags.ts';
import { SEGMENT_PATTERN } from '../content/slug.ts';
import type { AppEnv } from '../http/app-env.ts';
import { NO_STORE, entityTag } from '../http/cache-headers.ts';
import { parsePage } from '../http/request.ts';
import { notFound, respond } from '../http/respond.ts';
import { listEntries } from '../listing/entries.ts';
import { searchArticles, searchQuery } from '../listing/search.ts';
import type { ListState } from '../listing/state.ts';
import { FRONT_LIST, authorList, sectionList, tagList } from '../storage/index-rows.ts';
import { SEARCH_CANDIDATES } from '../storage/index-sql.ts';
import { renderFeed, type FeedScope } from '../views/feeds.ts';
import { listFeedPath, listPath, listTitle, renderListPage, type ListView } from '../views/list-page.ts';
import { renderSearchLimitedPage } from '../views/error-pages.ts';
import { renderSearchPage } from '../views/search-page.ts';
import { serveListDocument } from './list-document.ts';

const HTML = 'text/html; charset=utf-8';
const ATOM = 'application/atom+xml; charset=utf-8';

/** A list's key in the index, and how its page names it once the list's state (with a tag's or author's name as written) is known. */
interface ListKind {
  list: (key: string) => string;
  view: (key: string, state: ListState) => ListView;
}

const FRONT: ListKind = { list: () => FRONT_LIST, view: () => ({ kind: 'front' }) };

/** The lists under `/sections/`, `/tags/` and `/authors/`, by that first segment. */
export const LIST_KINDS = {
  sections: { list: sectionList, view: (section) => ({ kind: 'section', section }) },
  tags: { list: tagList, view: (slug, state) => ({ kind: 'tag', slug, name: state.name ?? slug }) },
  authors: { list: authorList, view: (slug, state) => ({ kind: 'author', slug, name: state.name ?? slug, ...(state.url && { url: state.url }) }) },
} satisfies Record<string, ListKind>;

/** `/latest`: every article, newest first, with its pages (the front page before fronts, and where an edition without containers gets its front). */
export const latestPage: Handler<AppEnv> = (c) => listPage(c, FRONT, '');

/** `/feed.xml`: the front page's feed. */
export const frontFeed: Handler<AppEnv> = (c) => listFeed(c, FRONT, '');

/** `/<kind>/:key`: a section's, topic's or author's page. */
export const listPageOf = (kind: ListKind): Handler<AppEnv> => withKey(kind, listPage);

/** `/<kind>/:key/feed.xml`: a section's, topic's or author's feed. */
export const listFeedOf = (kind: ListKind): Handler<AppEnv> => withKey(kind, listFeed);

/** A handler for `kind`'s lists that answers a malformed key with a 404, without asking D1. */
function withKey(kind: ListKind, serve: (c: Context<AppEnv>, kind: ListKind, key: string) => Promise<Response>): Handler<AppEnv> {
  return (c) => {
    const key = c.req.param('key') ?? '';
    return SEGMENT_PATTERN.test(key) ? serve(c, kind, key) : notFound(c);
  };
}

/** Purge tags of a list's documents: `index`, and the list's own (`front`, `section:world`, `tag:climate`, `author:ruth-okafor`). */
function listTags(list: string, ...more: string[]): string[] {
  return [INDEX_TAG, listTag(list), ...more];
}

/** One page of a list: newest first, paginated by `?page=`. An empty section, topic or author is no page; an empty site still has a front page. */
function listPage(c: Context<AppEnv>, kind: ListKind, key: string): Promise<Response> {
  const config = c.get('config');
  const page = parsePage(c.req.query('page'));
  if (page === null) return Promise.resolve(notFound(c));
  const list = kind.list(key);
  const name = list === FRONT_LIST ? 'front' : list;
  return serveListDocument(c, list, `${name}|${page}`, HTML, listTags(list), (state) => {
    if (list !== FRONT_LIST && state.total === 0) return null;
    const pageCount = Math.max(1, Math.ceil(state.total / config.indexPageSize));
    if (page > pageCount) return null;
    return {
      etag: entityTag(state.version, name, `p${page}`, c.get('version')),
      render: async (db) => {
        const entries = await listEntries(db, list, {
          total: state.total, now: c.get('now'), page, size: config.indexPageSize,
        });
        return c.get('meter').render(() => renderListPage({ site: c.get('site'), view: kind.view(key, state), entries, page, pageCount }));
      },
    };
  });
}

/** An Atom feed of a list's newest articles. */
function listFeed(c: Context<AppEnv>, kind: ListKind, key: string): Promise<Response> {
  const config = c.get('config');
  const list = kind.list(key);
  const name = list === FRONT_LIST ? 'feed' : `feed-${list}`;
  return serveListDocument(c, list, name, ATOM, listTags(list, FEED_TAG), (state) => {
    if (list !== FRONT_LIST && state.total === 0) return null;
    const view = kind.view(key, state);
    const scope: FeedScope = { path: listFeedPath(view), page: listPath(view), ...(view.kind !== 'front' && { title: listTitle(c.get('site'), view) }) };
    return {
      etag: entityTag(state.version, name, c.get('version')),
      render: async (db) => {
        const entries = await listEntries(db, list, { total: state.total, now: c.get('now'), page: 1, size: config.feedSize });
        return c.get('meter').render(() => renderFeed(c.get('site'), entries, scope));
      },
    };
  });
}

/**
 * `/search?q=…`: the reader's words (never their syntax) against the index,
 * ranked, with snippets. Cached briefly, by the normalised query and page
 * only; `noindex`. Search is the one reader route whose cost grows with the
 * archive, so the queries that reach D1 are rate limited per client
 * (`SEARCH_LIMITER`); answers from a cache or from this isolate's memory,
 * and every other route, never are.
 */
export const searchPage: Handler<AppEnv> = async (c) => {
  const config = c.get('config'), site = c.get('site');
  const raw = c.req.query('q');
  const query = searchQuery(raw);
  const page = parsePage(c.req.query('page'));
  if (page === null || (!query.match && page > 1)) return notFound(c);
  if (!query.match) {
    const typed = (raw ?? '').trim() !== '';
    const rep = { etag: entityTag('search', typed ? 'no-words' : 'empty', c.get('version')), tags: [SEARCH_TAG], maxAge: config.searchMaxAge };
    return respond(c, rep, HTML, false, () => renderSearchPage({ site, query: '', typed, results: [], total: 0, more: false, page: 1, pageCount: 1 }));
  }
  const match = query.match;
  try {
    return await serveListDocument(c, FRONT_LIST, `search|${query.normalised}|${page}`, HTML, [INDEX_TAG, SEARCH_TAG], (state) => ({
      etag: entityTag(state.version, 'search', fingerprint(query.normalised), `p${page}`, c.get('version')),
      maxAge: config.searchMaxAge,
      render: async (db) => {
        await limitSearch(c);
        const { results, total } = await searchArticles(db, match, { now: c.get('now'), page, size: config.indexPageSize });
        if (results.length === 0 && page > 1) return null;
        const pageCount = Math.max(1, Math.ceil(total / config.indexPageSize));
        return c.get('meter').render(() => renderSearchPage({
          site, query: query.normalised, typed: true, results, total, more: total >= SEARCH_CANDIDATES, page, pageCount,
        }));
      },
    }));
  } catch (error) {
    if (!(error instanceof SearchLimited)) throw error;
    return c.html(renderSearchLimitedPage(site, SEARCH_RETRY_SECONDS), 429, {
      'Cache-Control': NO_STORE, 'Retry-After': String(SEARCH_RETRY_SECONDS), 'X-Robots-Tag': 'noindex',
    });
  }
};

/** The rate limiter counts per minute: a reader over it may search again within this. */
const SEARCH_RETRY_SECONDS = 60;

class SearchLimited extends Error {
  override name = 'SearchLimited';
}

/**
 * Counts one search that will reach D1 against the client's limit, keyed by
 * the client's address (`CLIENT_IP_HEADER`). Without the binding, or when it
 * fails, search goes on: the limiter protects D1, it must never break search.
 */
async function limitSearch(c: Context<AppEnv>): Promise<void> {
  const limiter = c.env.SEARCH_LIMITER;
  if (!limiter) return;
  const key = `search:${c.req.header(c.get('config').clientIpHeader) ?? 'unknown'}`;
  let outcome: { success: boolean };
  try {
    outcome = await limiter.limit({ key });
  } catch (error) {
    console.warn(JSON.stringify({ event: 'search.limiter_failed', error: String(error) }));
    return;
  }
  if (!outcome.success) {
    console.log(JSON.stringify({ event: 'search.limited' }));
    throw new SearchLimited();
  }
}
