// At the edge (README, "Workers Cache"): the gateway partitions every request
// for the cache in front of the pages (one copy per region group of an
// article, one copy of everything else), answers validators from what the
// cache returns, and carries the signed purge route; and no response a cache
// may keep is built from a KV read that lags behind an editor's publish.
//
// Workers Cache itself does not run locally (ctx.cache is undefined), so the
// tests give the gateway and the Pages entry point a recording stand-in for
// it, and call the real Pages through ctx.exports.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import worker, { Pages } from '../../../src/index.ts';
import { signPurge, signPurgeText, type PurgeBody } from '../../../src/content/purge-request.ts';
import type { CacheProps } from '../../../src/edge/partition.ts';
import type { PurgeOutcome } from '../../../src/edge/purge.ts';
import { indexDb } from '../../../src/storage/index-db.ts';
import { configFileStatement, removeSlugsStatements, writeRowsStatements } from '../../../src/storage/index-sql.ts';
import { BANNERS_KEY, contentHash } from '../../../src/storage/kv-format.ts';
import { published } from '../../../support/published.ts';
import { UK_OVERRIDE } from '../support/fixtures.ts';
import { ORIGIN, articleFile, bannerRegion, fetchApp, nextRevision, seedArticle } from '../support/helpers.ts';

const SECRET = 'test-purge-secret';

/** Cloudflare's `ctx.cache`, recording each purge call; `fail` makes the nth call (from 1) throw. */
function recordingCache(fail?: number) {
  const calls: { tags?: string[]; purgeEverything?: boolean }[] = [];
  return {
    calls,
    async purge(options: { tags?: string[]; purgeEverything?: boolean }) {
      calls.push(options);
      if (calls.length === fail) throw new Error('rate limited: 5 purges a minute');
      return { success: true, errors: [] };
    },
    async invalidate() {
      return { success: true, errors: [] };
    },
  };
}

type Forwarded = { props: CacheProps; url: string; headers: Headers };

/**
 * An execution context whose `exports.Pages` is the real entry point seen
 * through a recorder, and with `cache` (Workers Cache) when given.
 */
function edgeContext(cache?: ReturnType<typeof recordingCache>, pagesFail = false) {
  const base = createExecutionContext();
  const forwarded: Forwarded[] = [];
  const real = (base as unknown as { exports: { Pages: (o: { props: CacheProps }) => { fetch(r: Request): Promise<Response>; purge(b: PurgeBody): Promise<PurgeOutcome> } } }).exports.Pages;
  const ctx = Object.assign(Object.create(base), {
    cache,
    exports: {
      Pages: ({ props }: { props: CacheProps }) => ({
        fetch: (request: Request) => {
          forwarded.push({ props, url: request.url, headers: request.headers });
          if (pagesFail) return Promise.reject(new Error('cache layer down'));
          return real({ props }).fetch(request);
        },
        // With a stand-in cache, purge through a Pages instance that has it, as Workers Cache would give one.
        purge: (body: PurgeBody) => (cache ? new Pages(Object.assign(Object.create(base), { cache }), env).purge(body) : real({ props }).purge(body)),
      }),
    },
  });
  return { ctx: ctx as ExecutionContext, forwarded, settle: () => waitOnExecutionContext(base) };
}

function gatewayFetch(path: string, init: RequestInit, ctx: ExecutionContext): Promise<Response> {
  return worker.fetch(new Request(ORIGIN + path, init), env, ctx);
}

beforeAll(async () => {
  await seedArticle('edge/story', articleFile('title: At the edge\ndate: 2026-11-01T10:00:00Z\nsection: world', 'Body.\n\n![A boat](/media/boat.svg)\n'));
  await seedArticle('edge/plain', articleFile('title: No pictures\ndate: 2026-11-01T10:00:00Z'));
  await env.ARTICLES.put('media/boat.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"/>');
});

describe('the gateway', () => {
  it('reaches the cached entry point through ctx.exports on every ordinary request', () => {
    expect(typeof (exports as unknown as { Pages?: unknown }).Pages).toBe('function');
  });

  it('calls Pages with the region group in props for article pages, and with none elsewhere', async () => {
    const { ctx, forwarded } = edgeContext();
    for (const [country, group] of [['GB', 'UK'], ['de', 'EU'], ['JP', 'INTL'], ['XX', 'INTL'], ['US', 'US']] as const) {
      const res = await gatewayFetch('/articles/edge/story', { headers: { 'CF-IPCountry': country } }, ctx);
      expect(bannerRegion(await res.text()), country).toBe(group);
      expect(forwarded.at(-1)!.props).toEqual({ group });
    }
    await (await gatewayFetch('/articles/edge/story?region=NZ', { headers: { 'CF-IPCountry': 'GB' } }, ctx)).text();
    expect(forwarded.at(-1)!.props).toEqual({ group: 'NZ' });
    // The front page is the reader's edition: one copy per group too.
    await (await gatewayFetch('/', { headers: { 'CF-IPCountry': 'CA' } }, ctx)).text();
    expect(forwarded.at(-1)!.props).toEqual({ group: 'CA' });
    for (const path of ['/latest', '/editions/uk', '/feed.xml', '/sitemap.xml', '/api/articles/edge/story', '/gallery/edge/story', '/robots.txt', '/search?q=edge']) {
      await (await gatewayFetch(path, { headers: { 'CF-IPCountry': 'GB' } }, ctx)).arrayBuffer();
      expect(forwarded.at(-1)!.props, path).toEqual({});
    }
  });

  it('forwards no region header, cookie or credentials, so the cache splits by props alone', async () => {
    const { ctx, forwarded } = edgeContext();
    const res = await gatewayFetch('/articles/edge/story', {
      headers: { 'CF-IPCountry': 'GB', Cookie: 'session=abc', Authorization: 'Bearer x', Accept: 'text/html' },
    }, ctx);
    await res.text();
    const sent = forwarded.at(-1)!.headers;
    expect(sent.get('CF-IPCountry')).toBeNull();
    expect(sent.get('Cookie')).toBeNull();
    expect(sent.get('Authorization')).toBeNull();
    expect(sent.get('Accept')).toBe('text/html');
    // Downstream caches still learn what the page varies on.
    expect(res.headers.get('Vary')).toBe('CF-IPCountry');
  });

  it('keys the cache by a canonical URL: only the parameters a route reads, sorted, page=1 dropped, a query as its words', async () => {
    const { ctx, forwarded } = edgeContext();
    const cases: [string, string][] = [
      ['/articles/edge/story?utm_source=x&fbclid=y', '/articles/edge/story'],
      ['/articles/edge/story?region=UK&utm_source=x', '/articles/edge/story?region=UK'],
      ['/?page=1&utm_campaign=z', '/'],
      ['/sections/world?page=2&ref=home', '/sections/world?page=2'],
      ['/search?utm=1&q=Edge%20%20STORY&page=2', '/search?page=2&q=edge%20story'],
      ['/feed.xml?page=2', '/feed.xml'],
    ];
    for (const [asked, key] of cases) {
      await (await gatewayFetch(asked, {}, ctx)).arrayBuffer();
      expect(forwarded.at(-1)!.url, asked).toBe(ORIGIN + key);
    }
  });

  it('sends previews, purges and other methods past the cache', async () => {
    const { ctx, forwarded } = edgeContext();
    await (await gatewayFetch('/preview/edge/story?expires=1&sig=x', {}, ctx)).arrayBuffer();
    await (await gatewayFetch('/gallery/edge/story?expires=1&sig=x', {}, ctx)).arrayBuffer();
    const post = await gatewayFetch('/articles/edge/story', { method: 'POST' }, ctx);
    expect(post.status).toBe(405);
    expect(forwarded).toEqual([]);
  });

  it('answers uncached when the cached entry point fails, rather than failing the reader', async () => {
    const { ctx, forwarded } = edgeContext(undefined, true);
    const res = await gatewayFetch('/articles/edge/story', { headers: { 'CF-IPCountry': 'GB' } }, ctx);
    expect(res.status).toBe(200);
    expect(bannerRegion(await res.text())).toBe('UK');
    expect(forwarded).toHaveLength(1);
  });

  describe('where Workers Cache is on', () => {
    it('keeps the reader\'s validators from the cache and answers If-None-Match itself', async () => {
      const { ctx, forwarded } = edgeContext(recordingCache());
      const full = await gatewayFetch('/articles/edge/story', { headers: { 'CF-IPCountry': 'GB' } }, ctx);
      const etag = full.headers.get('ETag')!;
      await full.text();
      const res = await gatewayFetch('/articles/edge/story', { headers: { 'CF-IPCountry': 'GB', 'If-None-Match': `W/${etag}`, 'If-Modified-Since': full.headers.get('Last-Modified')! } }, ctx);
      expect(forwarded.at(-1)!.headers.get('If-None-Match')).toBeNull();
      expect(forwarded.at(-1)!.headers.get('If-Modified-Since')).toBeNull();
      expect(res.status).toBe(304);
      expect(await res.text()).toBe('');
      for (const name of ['ETag', 'Cache-Control', 'CDN-Cache-Control', 'Vary', 'Last-Modified', 'Cache-Tag', 'Surrogate-Key']) {
        expect(res.headers.get(name), name).toBe(full.headers.get(name));
      }
      expect(res.headers.get('Content-Length')).toBeNull();
    });

    it('sends the full page for If-Modified-Since alone, another variant\'s tag, or * on a missing document', async () => {
      const { ctx } = edgeContext(recordingCache());
      const uk = await gatewayFetch('/articles/edge/story', { headers: { 'CF-IPCountry': 'GB' } }, ctx);
      await uk.text();
      const since = await gatewayFetch('/articles/edge/story', { headers: { 'CF-IPCountry': 'GB', 'If-Modified-Since': uk.headers.get('Last-Modified')! } }, ctx);
      expect(since.status).toBe(200);
      const us = await gatewayFetch('/articles/edge/story', { headers: { 'CF-IPCountry': 'US', 'If-None-Match': uk.headers.get('ETag')! } }, ctx);
      expect(us.status).toBe(200);
      expect(bannerRegion(await us.text())).toBe('US');
      const none = await gatewayFetch('/gallery/edge/plain', { headers: { 'If-None-Match': '*' } }, ctx);
      expect(none.status).toBe(404);
      const some = await gatewayFetch('/gallery/edge/story', { headers: { 'If-None-Match': '*' } }, ctx);
      expect(some.status).toBe(304);
    });
  });
});

describe('If-None-Match: * without the gateway', () => {
  it('is a 404 where there is no document, and a 304 where there is one', async () => {
    expect((await fetchApp('/gallery/edge/plain', { headers: { 'If-None-Match': '*' } })).status).toBe(404);
    expect((await fetchApp('/gallery/edge/story', { headers: { 'If-None-Match': '*' } })).status).toBe(304);
    expect((await fetchApp('/articles/edge/missing', { headers: { 'If-None-Match': '*' } })).status).toBe(404);
  });
});

describe('every response says how it may be cached', () => {
  it('sets Cache-Control explicitly on every route family, errors and refusals included', async () => {
    const { ctx } = edgeContext();
    const requests: [string, RequestInit?][] = [
      ['/'], ['/?page=99'], ['/latest?page=99'], ['/editions/uk'], ['/editions/none'], ['/feed.xml'], ['/sitemap.xml'], ['/sitemaps/pages.xml'], ['/sitemaps/news.xml'], ['/sitemaps/nothing.xml'],
      ['/robots.txt'], ['/search?q=edge'], ['/search'], ['/sections/world'], ['/sections/none'], ['/tags/none'], ['/authors/none'],
      ['/articles/edge/story'], ['/articles/edge/story', { method: 'HEAD' }], ['/articles/Not..Valid'], ['/articles/edge/missing'],
      ['/api/articles/edge/story'], ['/gallery/edge/story'], ['/gallery/edge/plain'], ['/preview/edge/story?expires=1&sig=x'],
      ['/media/boat.svg'], ['/media/none.png'], ['/favicon.svg'], ['/assets/site.00000000.css'], ['/no/such/route'],
      ['/articles/edge/story', { method: 'PUT' }], ['/_purge'], ['/_purge', { method: 'POST' }],
    ];
    for (const [path, init] of requests) {
      const res = await gatewayFetch(path, init ?? {}, ctx);
      await res.arrayBuffer();
      expect(res.headers.get('Cache-Control'), `${init?.method ?? 'GET'} ${path} (${res.status})`).toMatch(/\S/);
      expect(res.headers.get('Set-Cookie'), path).toBeNull();
    }
  });
});

describe('the purge route', () => {
  /** A signed request; a string body is signed exactly as given. */
  async function signed(body: PurgeBody | string, { secret = SECRET, at = Date.now(), headers = {} as Record<string, string> } = {}): Promise<RequestInit> {
    const request = typeof body === 'string' ? await signPurgeText(secret, body, at) : await signPurge(secret, body, at);
    return { method: 'POST', headers: { ...request.headers, ...headers }, body: request.body };
  }

  async function purgeWith(init: RequestInit, cache?: ReturnType<typeof recordingCache>): Promise<{ res: Response; answer: Record<string, unknown> }> {
    const { ctx } = edgeContext(cache);
    const res = await gatewayFetch('/_purge', init, ctx);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    return { res, answer: await res.json() };
  }

  it('purges tags in calls of at most 100, and everything in one', async () => {
    const cache = recordingCache();
    const tags = Array.from({ length: 250 }, (_, i) => `article:story-${i}`);
    const { res, answer } = await purgeWith(await signed({ tags }), cache);
    expect(res.status).toBe(200);
    expect(answer).toEqual({ cache: 'purged', calls: 3, tags: 250, everything: false });
    expect(cache.calls.map((c) => c.tags!.length)).toEqual([100, 100, 50]);
    expect(cache.calls.flatMap((c) => c.tags)).toEqual(tags);
    const all = recordingCache();
    expect((await purgeWith(await signed({ everything: true }), all)).answer).toMatchObject({ cache: 'purged', everything: true });
    expect(all.calls).toEqual([{ purgeEverything: true }]);
  });

  it('says what was and was not purged when Cloudflare refuses a call, with a 503 to retry', async () => {
    const cache = recordingCache(2);
    const tags = Array.from({ length: 150 }, (_, i) => `tag:t${i}`);
    const { res, answer } = await purgeWith(await signed({ tags }), cache);
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('60');
    expect(answer.cache).toBe('failed');
    expect(answer.purged).toEqual(tags.slice(0, 100));
    expect(answer.failed).toEqual(tags.slice(100));
    expect(String(answer.error)).toContain('rate limited');
  });

  it('says there is nothing to purge where the worker runs without Workers Cache', async () => {
    const { res, answer } = await purgeWith(await signed({ tags: ['index'] }));
    expect(res.status).toBe(200);
    expect(answer).toEqual({ cache: 'absent' });
  });

  it('refuses what is not signed, is signed with another secret, is too old or from the future, with a 401 that says why', async () => {
    const cache = recordingCache();
    const cases: [string, RequestInit, RegExp][] = [
      ['unsigned', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"tags":["index"]}' }, /sign the request/],
      ['another secret', await signed({ tags: ['index'] }, { secret: 'guess' }), /does not match/],
      ['ten minutes old', await signed({ tags: ['index'] }, { at: Date.now() - 600_000 }), /600 s old/],
      ['from the future', await signed({ tags: ['index'] }, { at: Date.now() + 600_000 }), /in the future/],
      ['a body changed after signing', { ...(await signed({ tags: ['index'] })), body: '{"everything":true}' }, /does not match/],
    ];
    for (const [what, init, message] of cases) {
      const { res, answer } = await purgeWith(init, cache);
      expect(res.status, what).toBe(401);
      expect(String(answer.error), what).toMatch(message);
    }
    expect(cache.calls).toEqual([]);
  });

  it('refuses bad input with a clear 4xx and purges nothing', async () => {
    const cache = recordingCache();
    const cases: [string, RequestInit, number][] = [
      ['not JSON', await signed('{tags'), 400],
      ['an array', await signed('["index"]'), 400],
      ['no tags', await signed({ tags: [] }), 400],
      ['a tag with a space', await signed({ tags: ['two words'] }), 400],
      ['a tag with a comma', await signed({ tags: ['a,b'] }), 400],
      ['a tag that is not text', await signed('{"tags":[1]}'), 400],
      ['other fields', await signed('{"tags":["x"],"also":1}'), 400],
      ['too many tags', await signed({ tags: Array.from({ length: 301 }, (_, i) => `t${i}`) }), 413],
      ['a form body', await signed({ tags: ['x'] }, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415],
      ['a huge body', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'x'.repeat(70_000) }, 413],
    ];
    for (const [what, init, status] of cases) {
      const { res, answer } = await purgeWith(init, cache);
      expect(res.status, what).toBe(status);
      expect(String(answer.error), what).toMatch(/\w/);
    }
    expect(cache.calls).toEqual([]);
  });

  it('answers GET with 405 and refuses everything when no PURGE_SECRET is set', async () => {
    const { res, answer } = await purgeWith({ method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe('POST');
    expect(answer.error).toMatch(/POST/);
    const unset = await worker.fetch(new Request(`${ORIGIN}/_purge`, await signed({ tags: ['x'] })), { ...env, PURGE_SECRET: '' }, createExecutionContext());
    expect(unset.status).toBe(403);
    expect((await unset.json() as { error: string }).error).toMatch(/PURGE_SECRET/);
  });
});

describe('the purge race: a KV read that lags behind the publish', () => {
  /**
   * KV that keeps giving what `keys` held when it was made (value and
   * metadata, or nothing), as a location whose cache has not caught up does.
   */
  async function laggingKv(keys: string[]): Promise<KVNamespace> {
    const snapshot = new Map<string, { value: string | null; metadata: unknown }>();
    for (const key of keys) snapshot.set(key, await env.ARTICLES.getWithMetadata(key, 'text'));
    const encode = (value: string | null, type?: string) => (value !== null && type === 'arrayBuffer' ? new TextEncoder().encode(value).buffer : value);
    return new Proxy(env.ARTICLES, {
      get(target, prop) {
        const value = Reflect.get(target, prop);
        if (typeof value !== 'function') return value;
        if (prop === 'get' || prop === 'getWithMetadata') {
          return (key: string, options?: { type?: string }) => {
            const old = snapshot.get(key);
            if (!old) return value.call(target, key, options);
            const data = encode(old.value, options?.type);
            return Promise.resolve(prop === 'get' ? data : { value: data, metadata: old.value === null ? null : old.metadata, cacheStatus: null });
          };
        }
        return value.bind(target);
      },
    });
  }

  /** KV first, then the row, as `npm run publish` does, at a new revision. */
  async function editorWrites(slug: string, source: string): Promise<void> {
    const article = await published(slug, source, await nextRevision());
    await env.ARTICLES.put(slug, source, { metadata: article.metadata });
    await indexDb(env.INDEX, 5000).write(writeRowsStatements([article.row], { writer: 'editor', trustMs: 0 }));
  }

  const isStored = (res: Response) => !/no-store/.test(res.headers.get('Cache-Control') ?? '') && !/no-store/.test(res.headers.get('CDN-Cache-Control') ?? '');

  it('serves the old version uncached while KV lags, and the new one cacheable once it catches up', async () => {
    const v1 = articleFile('title: Race one\ndate: 2026-11-02T10:00:00Z', 'First.\n');
    const v2 = articleFile('title: Race two\ndate: 2026-11-02T10:00:00Z', 'Second.\n');
    await editorWrites('race/story', v1);
    const before = await fetchApp('/articles/race/story');
    expect(isStored(before)).toBe(true);
    const lagging = await laggingKv(['race/story']);
    await editorWrites('race/story', v2);
    for (const path of ['/articles/race/story', '/api/articles/race/story', '/gallery/race/story']) {
      const res = await fetchApp(path, { bindings: { ARTICLES: lagging } });
      if (path.startsWith('/gallery/')) {
        expect(res.status).toBe(404);
        expect(res.headers.get('Cache-Control'), path).toBe('no-store');
        continue;
      }
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('Race one');
      expect(isStored(res), path).toBe(false);
    }
    const caught = await fetchApp('/articles/race/story');
    expect(await caught.text()).toContain('Race two');
    expect(isStored(caught)).toBe(true);
  });

  it('does not let a lagging 404 of a just-published article be cached', async () => {
    const lagging = await laggingKv(['race/new']);
    await editorWrites('race/new', articleFile('title: Brand new\ndate: 2026-11-02T10:00:00Z'));
    const res = await fetchApp('/articles/race/new', { bindings: { ARTICLES: lagging } });
    expect(res.status).toBe(404);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('answers 404 for an article an editor just removed, whatever a lagging KV still holds', async () => {
    const source = articleFile('title: Withdrawn\ndate: 2026-11-02T10:00:00Z');
    await editorWrites('race/withdrawn', source);
    const lagging = await laggingKv(['race/withdrawn']);
    await env.ARTICLES.delete('race/withdrawn');
    await indexDb(env.INDEX, 5000).write(removeSlugsStatements(['race/withdrawn'], { writer: 'editor', trustMs: 0 }, await nextRevision()));
    const res = await fetchApp('/articles/race/withdrawn', { bindings: { ARTICLES: lagging } });
    expect(res.status).toBe(404);
    expect(res.headers.get('Cache-Tag')).toBe('article:race/withdrawn,articles');
    expect(await res.text()).not.toContain('Withdrawn');
  });

  it('reuses its check of the index for ISOLATE_CACHE_TTL, the window the commands\' second purge closes', async () => {
    const bindings = { ISOLATE_CACHE_TTL: '5' };
    await editorWrites('race/memo', articleFile('title: Memo first\ndate: 2026-11-02T10:00:00Z'));
    expect(await (await fetchApp('/articles/race/memo', { bindings })).text()).toContain('Memo first');
    await editorWrites('race/memo', articleFile('title: Memo second\ndate: 2026-11-02T10:00:00Z'));
    // Within the window this isolate still answers from what it read: a cache may keep that until the second purge.
    expect(await (await fetchApp('/articles/race/memo', { bindings })).text()).toContain('Memo first');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 6000);
      const res = await fetchApp('/articles/race/memo', { bindings });
      expect(await res.text()).toContain('Memo second');
      expect(isStored(res)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps a page with lagging banner copy out of every cache, and caches it once the copy arrives', async () => {
    await seedArticle('race/banner', articleFile('title: Banner race\ndate: 2026-11-02T10:00:00Z'));
    const copy = UK_OVERRIDE;
    const bindings = { ARTICLES: await laggingKv([BANNERS_KEY]) };
    const revision = await nextRevision();
    await env.ARTICLES.put(BANNERS_KEY, copy, { metadata: { v: 1, hash: await contentHash(copy), rev: revision } });
    await indexDb(env.INDEX, 5000).write([configFileStatement(BANNERS_KEY, await contentHash(copy), revision)]);
    const lagging = await fetchApp('/articles/race/banner', { headers: { 'CF-IPCountry': 'GB' }, bindings });
    expect(lagging.status).toBe(200);
    expect(isStored(lagging)).toBe(false);
    const current = await fetchApp('/articles/race/banner', { headers: { 'CF-IPCountry': 'GB' } });
    expect(isStored(current)).toBe(true);
    expect(await current.text()).toContain('Winter appeal');
    expect(current.headers.get('ETag')).not.toBe(lagging.headers.get('ETag'));
    await env.ARTICLES.delete(BANNERS_KEY);
    await env.INDEX.prepare('DELETE FROM config_files').run();
  });

  it('trusts KV again once the trust window has passed (a plain upload after the publish wins)', async () => {
    const source = articleFile('title: Long ago\ndate: 2026-11-02T10:00:00Z');
    const article = await published('race/old', source, await nextRevision());
    await indexDb(env.INDEX, 5000).write(writeRowsStatements([article.row], { writer: 'editor', trustMs: 0 }));
    await env.INDEX.prepare('UPDATE articles SET indexed_at = indexed_at - 3600000 WHERE slug = ?1').bind('race/old').run();
    const plain = articleFile('title: Put by hand later\ndate: 2026-11-02T10:00:00Z');
    await env.ARTICLES.put('race/old', plain);
    const res = await fetchApp('/articles/race/old');
    expect(await res.text()).toContain('Put by hand later');
    expect(isStored(res)).toBe(true);
  });

  it('keeps serving articles, cacheably, when the index cannot be read', async () => {
    const res = await fetchApp('/articles/edge/story', { bindings: { INDEX: undefined } });
    expect(res.status).toBe(200);
    expect(isStored(res)).toBe(true);
  });
});

describe('holes in the contract, closed', () => {
  it('varies on CF-IPCountry when request.cf.country is the only source', async () => {
    const res = await fetchApp('/articles/edge/story', { cf: { country: 'DE' }, bindings: { REGION_HEADERS: 'cf.country' } });
    expect(bannerRegion(await res.text())).toBe('EU');
    expect(res.headers.get('Vary')).toBe('CF-IPCountry');
    const both = await fetchApp('/articles/edge/story', { bindings: { REGION_HEADERS: 'X-Country-Code, cf.country, CF-IPCountry' } });
    expect(both.headers.get('Vary')).toBe('X-Country-Code, CF-IPCountry');
  });

  it('gives an earlier deploy\'s stylesheet URL the current stylesheet, cached like a page', async () => {
    const html = await (await fetchApp('/articles/edge/story')).text();
    const current = /href="(\/assets\/site\.[0-9a-f]{8}\.css)"/.exec(html)![1]!;
    const now = await fetchApp(current);
    expect(now.headers.get('Cache-Control')).toContain('immutable');
    const old = await fetchApp('/assets/site.0badc0de.css');
    expect(old.status).toBe(200);
    expect(old.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    expect(old.headers.get('Cache-Control')).toBe('public, max-age=60, stale-while-revalidate=60, stale-if-error=86400');
    expect(await old.text()).toBe(await now.text());
    expect((await fetchApp('/assets/site.nothex!.css')).status).toBe(404);
  });

  it('puts the origin into every ETag when links follow the request\'s Host', async () => {
    const at = (origin: string, path: string, bindings: Record<string, unknown>) =>
      worker.fetch(new Request(origin + path), { ...env, ...bindings });
    for (const path of ['/articles/edge/story', '/', '/feed.xml', '/robots.txt', '/api/articles/edge/story']) {
      const a = await at('https://a.test', path, { SITE_URL: '' });
      const b = await at('https://b.test', path, { SITE_URL: '' });
      expect(a.headers.get('ETag'), path).not.toBe(b.headers.get('ETag'));
      const fixedA = await at('https://a.test', path, { SITE_URL: 'https://news.example' });
      const fixedB = await at('https://b.test', path, { SITE_URL: 'https://news.example' });
      expect(fixedA.headers.get('ETag'), path).toBe(fixedB.headers.get('ETag'));
    }
  });

  it('never labels two bodies with one list ETag: a write between the state and the page is served uncached', async () => {
    // D1 that lets an editor publish between the list's state query and its page query.
    let armed = false;
    const db = new Proxy(env.INDEX, {
      get(target, prop) {
        const value = Reflect.get(target, prop);
        if (prop === 'withSession') return () => new Proxy(value.call(target, 'first-primary'), {
          get(session, p) {
            const v = Reflect.get(session, p);
            if (p !== 'batch' || typeof v !== 'function') return typeof v === 'function' ? v.bind(session) : v;
            return async (statements: D1PreparedStatement[]) => {
              if (armed) {
                armed = false;
                const late = await published('race/late', articleFile('title: Slipped in\ndate: 2026-11-30T10:00:00Z'));
                await indexDb(env.INDEX, 5000).write(writeRowsStatements([late.row], { writer: 'editor', trustMs: 0 }));
              }
              return v.call(session, statements);
            };
          },
        });
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const first = await fetchApp('/sections/world', { bindings: { INDEX: db } });
    armed = true;
    await seedArticle('race/trigger', articleFile('title: Trigger\ndate: 2026-11-29T10:00:00Z\nsection: world'));
    const raced = await fetchApp('/sections/world', { bindings: { INDEX: db } });
    expect(raced.status).toBe(200);
    expect(raced.headers.get('Cache-Control')).toBe('no-store');
    expect(raced.headers.get('ETag')).not.toBe(first.headers.get('ETag'));
    const settled = await fetchApp('/sections/world', { bindings: { INDEX: db } });
    expect(settled.headers.get('Cache-Control')).toContain('public');
    expect(settled.headers.get('ETag')).not.toBe(raced.headers.get('ETag'));
  });
});

describe('purge tags on responses', () => {
  it('tags each document with what purging it needs, the same for every region', async () => {
    const expected: [string, string][] = [
      ['/', 'index,front,fronts'], ['/?page=1', 'index,front,fronts'], ['/latest', 'index,front'], ['/latest?page=1', 'index,front'],
      ['/editions/uk', 'index,front,fronts'], ['/feed.xml', 'index,front,feed'],
      ['/sections/world', 'index,section:world'], ['/sections/world/feed.xml', 'index,section:world,feed'],
      ['/sitemap.xml', 'index,sitemap,sitemap:index'], ['/sitemaps/pages.xml', 'index,sitemap,sitemap:pages'],
      ['/sitemaps/news.xml', 'index,sitemap,sitemap:news'], ['/sitemaps/articles-2026-11.xml', 'index,sitemap,sitemap:2026-11'],
      ['/search?q=edge', 'index,search'], ['/robots.txt', 'robots'],
      ['/articles/edge/story', 'article:edge/story,articles'], ['/api/articles/edge/story', 'article:edge/story,articles'],
      ['/gallery/edge/story', 'article:edge/story,articles'], ['/articles/edge/not-yet', 'article:edge/not-yet,articles'],
      ['/sections/nothing-here', 'index,section:nothing-here'],
    ];
    for (const [path, tags] of expected) {
      for (const country of ['GB', 'US']) {
        const res = await fetchApp(path, { headers: { 'CF-IPCountry': country } });
        expect(res.headers.get('Cache-Tag'), path).toBe(tags);
        expect(res.headers.get('Surrogate-Key'), path).toBe(tags.replaceAll(',', ' '));
      }
    }
  });
});
