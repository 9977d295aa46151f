// The HTTP caching contract of DESIGN §4, through the real app and local KV.
// Requests go through `app.fetch` so the test can see the app's in-memory caches.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { renderCacheContents } from '../../src/articles/render-cache.ts';
import { contentHash } from '../../src/storage/kv-format.ts';
import app from '../../src/index.ts';
import { switchableD1, switchableKv } from './bindings.ts';
import { ORIGIN, articleFile, bannerRegion, seedArticle } from './helpers.ts';

const SOURCE = articleFile('title: Caching\ndate: 2026-11-20T08:30:00Z\nupdated: 2026-11-21T10:00:00Z', 'First text.\n');
const PATH = '/articles/cache-me';

function fetchVia(bindings: object, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
  return Promise.resolve(app.fetch(new Request(ORIGIN + path, { method, headers }), bindings));
}

function fetchApp(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
  return fetchVia(env, path, headers, method);
}

beforeAll(async () => {
  await seedArticle('cache-me', SOURCE);
});

describe('validators', () => {
  it('gives each region its own strong ETag, stable across requests', async () => {
    const us1 = await fetchApp(PATH, { 'CF-IPCountry': 'US' });
    const us2 = await fetchApp(PATH, { 'CF-IPCountry': 'US' });
    const uk = await fetchApp(PATH, { 'CF-IPCountry': 'GB' });
    const etag = us1.headers.get('ETag')!;
    expect(etag).toMatch(/^"[0-9a-f]{16}\.US\.[0-9a-f]{8}\.[0-9a-f]{8}"$/);
    expect(us2.headers.get('ETag')).toBe(etag);
    expect(uk.headers.get('ETag')).not.toBe(etag);
    expect(uk.headers.get('ETag')).toMatch(/\.UK\./);
  });

  it('sends Last-Modified from updated, and identical purge tags and Vary for every variant', async () => {
    const responses = await Promise.all(['US', 'GB', 'DE', 'XX', ''].map((c) => fetchApp(PATH, { 'CF-IPCountry': c })));
    for (const res of responses) {
      expect(res.headers.get('Last-Modified')).toBe('Sat, 21 Nov 2026 10:00:00 GMT');
      expect(res.headers.get('Cache-Tag')).toBe('article:cache-me,articles');
      expect(res.headers.get('Surrogate-Key')).toBe('article:cache-me articles');
      expect(res.headers.get('Vary')).toBe('CF-IPCountry');
      expect(res.headers.get('Set-Cookie')).toBeNull();
    }
  });

  it('carries validators on the index, feed, sitemap and JSON too', async () => {
    for (const path of ['/', '/feed.xml', '/sitemap.xml', '/api/articles/cache-me', '/robots.txt']) {
      const res = await fetchApp(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('ETag'), path).toMatch(/^"[^"]+"$/);
      expect(res.headers.get('CDN-Cache-Control'), path).toContain('max-age=');
      expect(res.headers.get('Vary'), path).toBeNull();
      const again = await fetchApp(path, { 'If-None-Match': res.headers.get('ETag')! });
      expect(again.status, path).toBe(304);
    }
  });
});

describe('conditional requests', () => {
  it('answers a matching If-None-Match with a bodiless 304 that keeps the caching headers', async () => {
    const full = await fetchApp(PATH, { 'CF-IPCountry': 'GB' });
    const etag = full.headers.get('ETag')!;
    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const res = await fetchApp(PATH, { 'CF-IPCountry': 'GB', 'If-None-Match': inm });
      expect(res.status, inm).toBe(304);
      expect(await res.text()).toBe('');
      for (const name of ['ETag', 'Cache-Control', 'CDN-Cache-Control', 'Vary', 'Last-Modified', 'Cache-Tag', 'Surrogate-Key']) {
        expect(res.headers.get(name), `${inm} ${name}`).toBe(full.headers.get(name));
      }
    }
  });

  it('never answers another region with a 304 for this region\'s tag', async () => {
    const uk = (await fetchApp(PATH, { 'CF-IPCountry': 'GB' })).headers.get('ETag')!;
    const res = await fetchApp(PATH, { 'CF-IPCountry': 'US', 'If-None-Match': uk });
    expect(res.status).toBe(200);
    expect(bannerRegion(await res.text())).toBe('US');
  });

  it('lets If-None-Match win over If-Modified-Since', async () => {
    const lastModified = (await fetchApp(PATH)).headers.get('Last-Modified')!;
    expect((await fetchApp(PATH, { 'If-Modified-Since': lastModified })).status).toBe(304);
    expect((await fetchApp(PATH, { 'If-Modified-Since': lastModified, 'If-None-Match': '"stale"' })).status).toBe(200);
    expect((await fetchApp(PATH, { 'If-Modified-Since': 'Fri, 20 Nov 2026 08:30:00 GMT' })).status).toBe(200);
  });

  it('answers HEAD with a 304 too, and HEAD without validators with GET\'s headers', async () => {
    const get = await fetchApp(PATH, { 'CF-IPCountry': 'NZ' });
    const head = await fetchApp(PATH, { 'CF-IPCountry': 'NZ' }, 'HEAD');
    // Everything but the timings, whose values are this request's own.
    const headers = (res: Response) => [...res.headers].filter(([name]) => name !== 'server-timing').sort();
    expect(headers(head)).toEqual(headers(get));
    expect(head.headers.get('Server-Timing')).toMatch(/^kv;dur=[\d.]+;desc="\d+ calls?", d1;dur=[\d.]+;desc="\d+ calls?", render;dur=[\d.]+, total;dur=[\d.]+$/);
    const head304 = await fetchApp(PATH, { 'CF-IPCountry': 'NZ', 'If-None-Match': get.headers.get('ETag')! }, 'HEAD');
    expect(head304.status).toBe(304);
  });

  it('answers a 304 for a new version without rendering its markdown', async () => {
    const before = await fetchApp(PATH, { 'CF-IPCountry': 'AU' });
    const oldTag = before.headers.get('ETag')!;
    const changed = SOURCE.replace('First text.', 'Second text, never rendered by a 304.');
    await seedArticle('cache-me-2', changed);
    const newHash = await contentHash(changed);
    const newTag = oldTag.replace(/^"[0-9a-f]{16}/, `"${newHash.slice(0, 16)}`);
    const res = await fetchApp('/articles/cache-me-2', { 'CF-IPCountry': 'AU', 'If-None-Match': newTag });
    expect(res.status).toBe(304);
    const held = (kind: string) => renderCacheContents().some((e) => e.kind === kind && e.key.endsWith(`cache-me-2|${newHash}`));
    expect(held('parsed')).toBe(true);
    expect(held('render')).toBe(false);
    // and the full GET that follows is what renders it
    await fetchApp('/articles/cache-me-2', { 'CF-IPCountry': 'AU' });
    expect(held('render')).toBe(true);
  });
});

describe('the isolate memo', () => {
  it('reuses a read for ISOLATE_CACHE_TTL seconds, then sees the new version', async () => {
    const bindings = { ...env, ISOLATE_CACHE_TTL: '5' };
    await seedArticle('memo', articleFile('title: Memo one\ndate: 2026-01-01'));
    expect(await (await fetchVia(bindings, '/articles/memo')).text()).toContain('Memo one');
    await seedArticle('memo', articleFile('title: Memo two\ndate: 2026-01-01'));
    expect(await (await fetchVia(bindings, '/articles/memo')).text()).toContain('Memo one');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 6000);
      expect(await (await fetchVia(bindings, '/articles/memo')).text()).toContain('Memo two');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('new versions', () => {
  it('serves a changed article from a new render, with a new ETag', async () => {
    await seedArticle('changing', articleFile('title: Version one\ndate: 2026-01-01'));
    const first = await fetchApp('/articles/changing');
    expect(await first.text()).toContain('Version one');
    await seedArticle('changing', articleFile('title: Version two\ndate: 2026-01-01'));
    const second = await fetchApp('/articles/changing');
    expect(await second.text()).toContain('Version two');
    expect(second.headers.get('ETag')).not.toBe(first.headers.get('ETag'));
    expect((await fetchApp('/articles/changing', { 'If-None-Match': first.headers.get('ETag')! })).status).toBe(200);
  });
});

describe('errors', () => {
  it('gives a 404 a short explicit lifetime', async () => {
    const res = await fetchApp('/articles/missing');
    expect(res.status).toBe(404);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=30');
    expect(res.headers.get('ETag')).toBeNull();
  });

  it('answers a broken stored article with an uncached 500', async () => {
    await env.ARTICLES.put('broken', '---\ntitle: [unclosed\n---\nBody');
    const res = await fetchApp('/articles/broken');
    expect(res.status).toBe(500);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('CDN-Cache-Control')).toBeNull();
  });
});

describe('when KV fails', () => {
  it('serves the last good copy, marked not to be stored', async () => {
    const { kv, set } = switchableKv(env.ARTICLES);
    const bindings = { ...env, ARTICLES: kv };
    const good = await fetchVia(bindings, PATH, { 'CF-IPCountry': 'CA' });
    expect(good.status).toBe(200);
    set('throw');
    const stale = await fetchVia(bindings, PATH, { 'CF-IPCountry': 'CA' });
    expect(stale.status).toBe(200);
    expect(bannerRegion(await stale.text())).toBe('CA');
    expect(stale.headers.get('Cache-Control')).toBe('no-store');
    expect(stale.headers.get('CDN-Cache-Control')).toBe('no-store');
  });

  it('answers 503 with Retry-After and no-store when there is no good copy', async () => {
    const { kv, set } = switchableKv(env.ARTICLES);
    set('throw');
    const res = await fetchVia({ ...env, ARTICLES: kv }, '/articles/never-read-before');
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('30');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('gives up on a hanging KV after KV_TIMEOUT_MS instead of hanging the request', async () => {
    const { kv, set } = switchableKv(env.ARTICLES);
    set('hang');
    const res = await fetchVia({ ...env, ARTICLES: kv, KV_TIMEOUT_MS: '150' }, '/articles/also-never-read');
    expect(res.status).toBe(503);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

});

describe('when D1 fails', () => {
  it('serves the last rendered list, marked not to be stored, once its lifetime has passed', async () => {
    const { db, set } = switchableD1(env.INDEX);
    const bindings = { ...env, INDEX: db, ISOLATE_CACHE_TTL: '30' };
    const fresh = await fetchVia(bindings, '/');
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('Cache-Control')).toContain('public');
    set('throw');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 31_000);
      const stale = await fetchVia(bindings, '/');
      expect(stale.status).toBe(200);
      expect(await stale.text()).toContain('Caching');
      expect(stale.headers.get('Cache-Control')).toBe('no-store');
      expect(stale.headers.get('CDN-Cache-Control')).toBe('no-store');
      expect(stale.headers.get('ETag')).toBe(fresh.headers.get('ETag'));
    } finally {
      vi.useRealTimers();
    }
  });

  it('serves the last copy when the page query fails after the state was read', async () => {
    const { db, set } = switchableD1(env.INDEX);
    const bindings = { ...env, INDEX: db };
    const fresh = await fetchVia(bindings, '/feed.xml');
    expect(fresh.status).toBe(200);
    await seedArticle('feed-change', articleFile('title: A change to the index\ndate: 2026-02-01'));
    set('throw');
    const stale = await fetchVia(bindings, '/feed.xml');
    expect(stale.status).toBe(200);
    expect(stale.headers.get('Cache-Control')).toBe('no-store');
    expect(await stale.text()).toBe(await fresh.text());
  });

  it('answers 503 with Retry-After and no-store for a list never rendered before', async () => {
    const { db, set } = switchableD1(env.INDEX);
    set('throw');
    const res = await fetchVia({ ...env, INDEX: db }, '/sections/never-listed');
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('30');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('gives up on a hanging D1 after D1_TIMEOUT_MS instead of hanging the request', async () => {
    const { db, set } = switchableD1(env.INDEX);
    set('hang');
    const res = await fetchVia({ ...env, INDEX: db, D1_TIMEOUT_MS: '150' }, '/sections/hanging');
    expect(res.status).toBe(503);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('still serves articles, which come from KV', async () => {
    const { db, set } = switchableD1(env.INDEX);
    set('throw');
    const res = await fetchVia({ ...env, INDEX: db }, PATH);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toContain('public');
  });
});
