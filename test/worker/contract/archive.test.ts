// The archive index in D1: every list, feed and sitemap is answered from it
// with at most two D1 queries and no KV list, pages stay right however deep
// they go, and the sitemaps stay within the protocol. Runs against the real
// local D1 and KV of workerd; the list rows are written as publish writes them.
import { env } from 'cloudflare:workers';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArticleMeta } from '../../../src/content/article.ts';
import { indexRow } from '../../../src/storage/index-rows.ts';
import { indexDb } from '../../../src/storage/index-db.ts';
import { ANCHOR_STEP, removeSlugsStatements } from '../../../src/storage/index-sql.ts';
import { switchableD1, unlistableKv } from '../support/bindings.ts';
import { ORIGIN, fetchApp, nextRevision, page, storageCalls, titles, writeIndexRows } from '../support/helpers.ts';

/** 2,600 articles, one an hour from 1 January 2020: 130 pages of 20, over four months. */
const COUNT = 2600;
const START = Date.UTC(2020, 0, 1);

function meta(n: number, overrides: Partial<ArticleMeta> = {}): ArticleMeta {
  return {
    slug: `archive/story-${String(n).padStart(4, '0')}`,
    title: `Archive story ${n}`,
    date: new Date(START + n * 3600_000).toISOString().replace('.000Z', 'Z'),
    authors: [],
    tags: [],
    section: n % 2 ? 'odd' : 'even',
    language: 'en',
    draft: false,
    corrections: [],
    aliases: [],
    ...overrides,
  } as ArticleMeta;
}

async function index(metas: ArticleMeta[]): Promise<void> {
  for (let i = 0; i < metas.length; i += 200) {
    const chunk = metas.slice(i, i + 200);
    await writeIndexRows(chunk.map((meta) => indexRow(meta, meta.slug.replace(/\D/g, '').padStart(32, 'a'), '')));
  }
}

/** Every page of a list, in order, as titles. */
async function allPages(base: string, pages: number): Promise<string[]> {
  const seen: string[] = [];
  for (let page = 1; page <= pages; page++) {
    const res = await fetchApp(page === 1 ? base : `${base}${base.includes('?') ? '&' : '?'}page=${page}`);
    expect(res.status, `page ${page}`).toBe(200);
    seen.push(...titles(await res.text()));
  }
  return seen;
}

const newestFirst = (numbers: number[]) => [...numbers].sort((a, b) => b - a).map((n) => `Archive story ${n}`);

/** A list's anchors: each one's ordinal, and how many entries really come before it (they must agree). */
async function anchors(list: string): Promise<{ ordinal: number; position: number }[]> {
  const { results } = await env.INDEX.prepare(`SELECT a.ordinal,
  (SELECT count(*) FROM list_entries e WHERE e.list = a.list AND (e.published_at, e.slug) < (a.published_at, a.slug)) AS position
FROM page_anchors a WHERE a.list = ?1 ORDER BY a.ordinal`).bind(list).all<{ ordinal: number; position: number }>();
  return results;
}

const ordinals = async (list: string) => (await anchors(list)).map((a) => a.ordinal);
const exact = async (list: string) => (await anchors(list)).every((a) => a.ordinal === a.position);

beforeAll(async () => {
  await index(Array.from({ length: COUNT }, (_, n) => meta(n)));
}, 60_000);

describe(`a front page over ${COUNT} articles`, () => {
  it('pages through every article exactly once, newest first, deep pages included', async () => {
    const pages = COUNT / 20;
    const first = await (await fetchApp('/')).text();
    expect(first).toContain(`Page 1 of ${pages}`);
    expect(await allPages('/latest', pages)).toEqual(newestFirst(Array.from({ length: COUNT }, (_, n) => n)));
    expect((await fetchApp(`/latest?page=${pages + 1}`)).status).toBe(404);
  });

  it('links each page to its neighbours, with its own canonical address', async () => {
    const pages = COUNT / 20;
    const first = await page('/');
    expect(first).toContain('<a rel="next" href="/latest?page=2">');
    expect(first).not.toContain('rel="prev"');
    expect(first).toContain('<link rel="canonical" href="https://news.test/">');
    const second = await page('/latest?page=2');
    expect(second).toContain('<a rel="prev" href="/latest">');
    expect(second).toContain('<a rel="next" href="/latest?page=3">');
    expect(second).toContain('<link rel="canonical" href="https://news.test/latest?page=2">');
    const last = await page(`/latest?page=${pages}`);
    expect(last).toContain(`<a rel="prev" href="/latest?page=${pages - 1}">`);
    expect(last).not.toContain('rel="next"');
  });

  it('has keyset anchors every thousand entries, added by the writes, and serves deep pages through them', async () => {
    // The writes (200 rows at a time, oldest first) extended the anchors as the list grew: no reader added them.
    expect(await ordinals('')).toEqual([ANCHOR_STEP - 1, 2 * ANCHOR_STEP - 1]);
    expect(await exact('')).toBe(true);
    expect(await exact('section:odd')).toBe(true);
    const deep = await (await fetchApp('/latest?page=60')).text();
    expect(titles(deep)).toEqual(newestFirst(Array.from({ length: 20 }, (_, i) => COUNT - 1 - 59 * 20 - i).sort((a, b) => a - b)));
    expect(await ordinals('')).toEqual([ANCHOR_STEP - 1, 2 * ANCHOR_STEP - 1]);
  });

  it('shifts the anchors above a backdated article or a removal in the same write, and every page is still right', async () => {
    // An hour and a half into 2020: older than almost everything, so every anchor is above it.
    const backdated = meta(1, { slug: 'archive/backdated', title: 'Archive story 1.5', date: '2020-01-01T01:30:00Z', section: 'other' });
    await index([backdated]);
    expect(await ordinals('')).toEqual([ANCHOR_STEP, 2 * ANCHOR_STEP]);
    expect(await exact('')).toBe(true);
    const all = await allPages('/latest', Math.ceil((COUNT + 1) / 20));
    const expected = newestFirst(Array.from({ length: COUNT }, (_, n) => n));
    expected.splice(expected.indexOf('Archive story 1'), 0, 'Archive story 1.5');
    expect(all).toEqual(expected);
    await indexDb(env.INDEX, 5000).write(removeSlugsStatements(['archive/backdated'], { writer: 'editor', trustMs: 0 }, await nextRevision()));
    expect(await ordinals('')).toEqual([ANCHOR_STEP - 1, 2 * ANCHOR_STEP - 1]);
    expect(await exact('')).toBe(true);
    expect(await allPages('/latest', COUNT / 20)).toEqual(newestFirst(Array.from({ length: COUNT }, (_, n) => n)));
    // Published again (the sitemap tests below expect it), the anchors move up once more.
    await index([backdated]);
    expect(await ordinals('')).toEqual([ANCHOR_STEP, 2 * ANCHOR_STEP]);
  });

  it('pages a section the same way', async () => {
    const odd = Array.from({ length: COUNT }, (_, n) => n).filter((n) => n % 2);
    expect(await allPages('/sections/odd', Math.ceil(odd.length / 20))).toEqual(newestFirst(odd));
    expect((await fetchApp(`/sections/odd?page=${Math.ceil(odd.length / 20) + 1}`)).status).toBe(404);
  });
});

describe('the cost of a reader request', () => {
  const routes = [
    '/', '/latest?page=2', '/latest?page=70', '/latest?page=130', '/sections/even', '/sections/even?page=65', '/feed.xml', '/sitemap.xml',
    '/sitemaps/pages.xml', '/sitemaps/articles-2020-02.xml', '/sitemaps/news.xml',
  ];

  it('is at most two D1 queries and never a KV list, for every list route', async () => {
    const { db, queries } = switchableD1(env.INDEX);
    const bindings = { ...env, INDEX: db, ARTICLES: unlistableKv(env.ARTICLES), LIST_CACHE_MB: '0' };
    for (const path of routes) {
      const before = queries();
      const res = await fetchApp(path, { bindings });
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
      expect(queries() - before, path).toBeGreaterThanOrEqual(1);
      expect(queries() - before, path).toBeLessThanOrEqual(2);
      expect(storageCalls(res, 'd1'), path).toBe(queries() - before);
      // The front reads one KV key, the fronts file (from the isolate's memo, but these tests keep none); no route lists.
      expect(storageCalls(res, 'kv'), path).toBe(path === '/' ? 1 : 0);
    }
  });

  it('answers a current client with a 304 from one small query, rendering nothing', async () => {
    const { db, queries } = switchableD1(env.INDEX);
    const bindings = { ...env, INDEX: db };
    for (const path of ['/', '/latest?page=70', '/sections/even', '/feed.xml', '/sitemap.xml', '/sitemaps/articles-2020-02.xml']) {
      const etag = (await fetchApp(path, { bindings })).headers.get('ETag')!;
      const before = queries();
      const res = await fetchApp(path, { headers: { 'If-None-Match': etag }, bindings });
      expect(res.status, path).toBe(304);
      expect(queries() - before, path).toBe(1);
      expect(res.headers.get('Server-Timing'), path).toMatch(/render;dur=0.00/);
    }
  });

  it('reuses the list state within ISOLATE_CACHE_TTL: a repeated request costs no query at all', async () => {
    const { db, queries } = switchableD1(env.INDEX);
    const bindings = { ...env, INDEX: db, ISOLATE_CACHE_TTL: '60' };
    await fetchApp('/sections/odd?page=3', { bindings });
    const before = queries();
    expect((await fetchApp('/sections/odd?page=3', { bindings })).status).toBe(200);
    expect(queries() - before).toBe(0);
  });
});

describe('sitemaps', () => {
  async function locs(path: string, bindings: Record<string, unknown>): Promise<string[]> {
    const res = await fetchApp(path, { bindings });
    expect(res.status, path).toBe(200);
    const xml = await res.text();
    expect(XMLValidator.validate(xml), path).toBe(true);
    return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!.slice(ORIGIN.length));
  }

  it('is an index of month sitemaps whose parts list every article exactly once, none over SITEMAP_URLS', async () => {
    const bindings = { ...env, SITEMAP_URLS: '500' };
    const children = await locs('/sitemap.xml', bindings);
    expect(children[0]).toBe('/sitemaps/pages.xml');
    // January 2020 holds 744 hourly articles (and the backdated one): two parts of at most 500.
    expect(children).toContain('/sitemaps/articles-2020-01.xml');
    expect(children).toContain('/sitemaps/articles-2020-01-2.xml');
    const urls: string[] = [];
    for (const child of children.filter((c) => c.startsWith('/sitemaps/articles-'))) {
      const part = await locs(child, bindings);
      expect(part.length, child).toBeLessThanOrEqual(500);
      urls.push(...part);
    }
    const archive = urls.filter((u) => u.startsWith('/articles/archive/'));
    expect(archive).toHaveLength(COUNT + 1);
    expect(new Set(archive).size).toBe(COUNT + 1);
    expect(new Set(urls).size).toBe(urls.length);
  });

  it('gives each month sitemap a lastmod, and 404s a month or part that does not exist', async () => {
    const index = await (await fetchApp('/sitemap.xml')).text();
    expect(index).toMatch(/<loc>https:\/\/news\.test\/sitemaps\/articles-2020-03\.xml<\/loc><lastmod>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z<\/lastmod>/);
    for (const path of ['/sitemaps/articles-2019-12.xml', '/sitemaps/articles-2020-01-9.xml', '/sitemaps/articles-2020-13.xml', '/sitemaps/other.xml']) {
      const res = await fetchApp(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('Cache-Control'), path).toBe('public, max-age=30');
    }
  });
});

describe('the Google News sitemap', () => {
  it('lists only the last 48 hours, newest first, in the news namespace, with publication and language', async () => {
    const now = Date.now();
    const at = (hoursAgo: number) => new Date(now - hoursAgo * 3600_000).toISOString();
    await index([
      meta(0, { slug: 'news/fresh', title: 'Fresh & new', date: at(1), language: 'en-GB', section: 'news' }),
      meta(0, { slug: 'news/yesterday', title: 'From yesterday', date: at(47), language: 'fr', section: 'news' }),
      meta(0, { slug: 'news/old', title: 'Too old', date: at(49), section: 'news' }),
      meta(0, { slug: 'news/tomorrow', title: 'Not yet', date: at(-24), section: 'news' }),
      meta(0, { slug: 'news/draft', title: 'Draft', date: at(2), draft: true, section: 'news' }),
    ]);
    const res = await fetchApp('/sitemaps/news.xml');
    expect(res.headers.get('Content-Type')).toBe('application/xml; charset=utf-8');
    expect(res.headers.get('ETag')).toMatch(/^"[0-9a-f]{8}\.news\./);
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"');
    expect([...xml.matchAll(/<loc>[^<]+\/articles\/([^<]+)<\/loc>/g)].map((m) => m[1])).toEqual(['news/fresh', 'news/yesterday']);
    expect(xml).toContain('<news:publication><news:name>Broadsheet</news:name><news:language>en</news:language></news:publication>');
    expect(xml).toContain('<news:language>fr</news:language>');
    expect(xml).toContain('<news:title>Fresh &amp; new</news:title>');
    // It changes when the 47-hour-old article leaves the window, in an hour: no cache may keep it longer.
    const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get('CDN-Cache-Control')!)![1]);
    expect(maxAge).toBeLessThanOrEqual(300);
  });

  it('holds at most 1,000 articles', async () => {
    const now = Date.now();
    await index(Array.from({ length: 1005 }, (_, i) =>
      meta(0, { slug: `burst/item-${i}`, title: `Burst ${i}`, date: new Date(now - 3 * 3600_000 - i * 1000).toISOString(), section: 'news' })));
    const xml = await (await fetchApp('/sitemaps/news.xml')).text();
    expect(xml.match(/<url>/g)).toHaveLength(1000);
    expect(xml).toContain('/articles/news/fresh</loc>');
  });
});
