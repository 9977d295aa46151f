// The HTTP caching contract (docs/contract.md, Caching) through the worker and
// local KV: validators, conditional requests, lifetimes and the isolate memo.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { renderCacheContents } from '../../../src/articles/render-cache.ts';
import { contentHash } from '../../../src/storage/kv-format.ts';
import { articleFile, bannerRegion, fetchApp, seedArticle } from '../support/helpers.ts';

const SOURCE = articleFile('title: Caching\ndate: 2026-11-20T08:30:00Z\nupdated: 2026-11-21T10:00:00Z', 'First text.\n');
const PATH = '/articles/cache-me';

beforeAll(async () => {
  await seedArticle('cache-me', SOURCE);
});

describe('validators', () => {
  it('gives each region its own strong ETag, stable across requests', async () => {
    const us1 = await fetchApp(PATH, { headers: { 'CF-IPCountry': 'US' } });
    const us2 = await fetchApp(PATH, { headers: { 'CF-IPCountry': 'US' } });
    const uk = await fetchApp(PATH, { headers: { 'CF-IPCountry': 'GB' } });
    const etag = us1.headers.get('ETag')!;
    expect(etag).toMatch(/^"[0-9a-f]{16}\.US\.[0-9a-f]{8}\.[0-9a-f]{8}"$/);
    expect(us2.headers.get('ETag')).toBe(etag);
    expect(uk.headers.get('ETag')).not.toBe(etag);
    expect(uk.headers.get('ETag')).toMatch(/\.UK\./);
  });

  it('sends the configured lifetimes, Last-Modified from updated, and identical purge tags and Vary for every variant', async () => {
    const responses = await Promise.all(['US', 'GB', 'DE', 'XX', ''].map((c) => fetchApp(PATH, { headers: { 'CF-IPCountry': c } })));
    for (const res of responses) {
      expect(res.headers.get('Cache-Control')).toBe('public, max-age=60, stale-while-revalidate=60, stale-if-error=86400');
      expect(res.headers.get('CDN-Cache-Control')).toBe('max-age=300, stale-while-revalidate=60, stale-if-error=86400');
      expect(res.headers.get('Last-Modified')).toBe('Sat, 21 Nov 2026 10:00:00 GMT');
      expect(res.headers.get('Cache-Tag')).toBe('article:cache-me,articles');
      expect(res.headers.get('Surrogate-Key')).toBe('article:cache-me articles');
      expect(res.headers.get('Vary')).toBe('CF-IPCountry');
      expect(res.headers.get('Set-Cookie')).toBeNull();
    }
  });

  it('carries validators on the index, feed, sitemap and JSON too', async () => {
    for (const path of ['/latest', '/feed.xml', '/sitemap.xml', '/api/articles/cache-me', '/robots.txt']) {
      const res = await fetchApp(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('ETag'), path).toMatch(/^"[^"]+"$/);
      expect(res.headers.get('CDN-Cache-Control'), path).toContain('max-age=');
      expect(res.headers.get('Vary'), path).toBeNull();
      const again = await fetchApp(path, { headers: { 'If-None-Match': res.headers.get('ETag')! } });
      expect(again.status, path).toBe(304);
    }
  });
});

describe('conditional requests', () => {
  it('answers a matching If-None-Match with a bodiless 304 that keeps the caching headers', async () => {
    const full = await fetchApp(PATH, { headers: { 'CF-IPCountry': 'GB' } });
    const etag = full.headers.get('ETag')!;
    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const res = await fetchApp(PATH, { headers: { 'CF-IPCountry': 'GB', 'If-None-Match': inm } });
      expect(res.status, inm).toBe(304);
      expect(await res.text()).toBe('');
      for (const name of ['ETag', 'Cache-Control', 'CDN-Cache-Control', 'Vary', 'Last-Modified', 'Cache-Tag', 'Surrogate-Key']) {
        expect(res.headers.get(name), `${inm} ${name}`).toBe(full.headers.get(name));
      }
    }
  });

  it('never answers another region with a 304 for this region\'s tag', async () => {
    const uk = (await fetchApp(PATH, { headers: { 'CF-IPCountry': 'GB' } })).headers.get('ETag')!;
    const res = await fetchApp(PATH, { headers: { 'CF-IPCountry': 'US', 'If-None-Match': uk } });
    expect(res.status).toBe(200);
    expect(bannerRegion(await res.text())).toBe('US');
  });

  it('answers If-Modified-Since alone with the full page, and lets If-None-Match decide when both are sent', async () => {
    const full = await fetchApp(PATH);
    const lastModified = full.headers.get('Last-Modified')!;
    // The banner copy changes the bytes but not the article's date: a date cannot prove the client current.
    expect((await fetchApp(PATH, { headers: { 'If-Modified-Since': lastModified } })).status).toBe(200);
    expect((await fetchApp(PATH, { headers: { 'If-Modified-Since': 'Tue, 01 Dec 2099 00:00:00 GMT' } })).status).toBe(200);
    expect((await fetchApp(PATH, { headers: { 'If-Modified-Since': lastModified, 'If-None-Match': '"stale"' } })).status).toBe(200);
    expect((await fetchApp(PATH, { headers: { 'If-Modified-Since': 'Fri, 20 Nov 2026 08:30:00 GMT', 'If-None-Match': full.headers.get('ETag')! } })).status).toBe(304);
  });

  it('answers HEAD with GET\'s headers and no body, and with a 304 when it may', async () => {
    const get = await fetchApp(PATH, { headers: { 'CF-IPCountry': 'NZ' } });
    const head = await fetchApp(PATH, { headers: { 'CF-IPCountry': 'NZ' }, method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    // Everything but the timings, whose values are this request's own.
    const headers = (res: Response) => [...res.headers].filter(([name]) => name !== 'server-timing').sort();
    expect(headers(head)).toEqual(headers(get));
    expect(head.headers.get('Server-Timing')).toMatch(/^kv;dur=[\d.]+;desc="\d+ calls?", d1;dur=[\d.]+;desc="\d+ calls?", render;dur=[\d.]+, total;dur=[\d.]+$/);
    const head304 = await fetchApp(PATH, { headers: { 'CF-IPCountry': 'NZ', 'If-None-Match': get.headers.get('ETag')! }, method: 'HEAD' });
    expect(head304.status).toBe(304);
  });

  it('answers a 304 for a new version without rendering its markdown', async () => {
    const before = await fetchApp(PATH, { headers: { 'CF-IPCountry': 'AU' } });
    const oldTag = before.headers.get('ETag')!;
    const changed = SOURCE.replace('First text.', 'Second text, never rendered by a 304.');
    await seedArticle('cache-me-2', changed);
    const newHash = await contentHash(changed);
    const newTag = oldTag.replace(/^"[0-9a-f]{16}/, `"${newHash.slice(0, 16)}`);
    const res = await fetchApp('/articles/cache-me-2', { headers: { 'CF-IPCountry': 'AU', 'If-None-Match': newTag } });
    expect(res.status).toBe(304);
    const held = (kind: string) => renderCacheContents().some((e) => e.kind === kind && e.key.endsWith(`cache-me-2|${newHash}`));
    expect(held('parsed')).toBe(true);
    expect(held('render')).toBe(false);
    // and the full GET that follows is what renders it
    await fetchApp('/articles/cache-me-2', { headers: { 'CF-IPCountry': 'AU' } });
    expect(held('render')).toBe(true);
  });
});

describe('the isolate memo', () => {
  it('reuses a plain upload\'s read for ISOLATE_CACHE_TTL seconds, then sees the new version', async () => {
    const bindings = { ISOLATE_CACHE_TTL: '5' };
    await seedArticle('memo', articleFile('title: Memo one\ndate: 2026-01-01'), { withMetadata: false });
    expect(await (await fetchApp('/articles/memo', { bindings })).text()).toContain('Memo one');
    await seedArticle('memo', articleFile('title: Memo two\ndate: 2026-01-01'), { withMetadata: false });
    expect(await (await fetchApp('/articles/memo', { bindings })).text()).toContain('Memo one');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 6000);
      expect(await (await fetchApp('/articles/memo', { bindings })).text()).toContain('Memo two');
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
    expect((await fetchApp('/articles/changing', { headers: { 'If-None-Match': first.headers.get('ETag')! } })).status).toBe(200);
  });

  it('gives the lists new ETags when a setting that shapes them changes, with no new deployment', async () => {
    const before = await fetchApp('/');
    const after = await fetchApp('/', { bindings: { INDEX_PAGE_SIZE: '5' } });
    expect(after.headers.get('ETag')).not.toBe(before.headers.get('ETag'));
    const revalidated = await fetchApp('/', { headers: { 'If-None-Match': before.headers.get('ETag')! }, bindings: { INDEX_PAGE_SIZE: '5' } });
    expect(revalidated.status).toBe(200);
  });
});

describe('errors', () => {
  it('gives a 404 a short explicit lifetime', async () => {
    const res = await fetchApp('/articles/missing');
    expect(res.status).toBe(404);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=30');
    expect(res.headers.get('ETag')).toBeNull();
  });
});
