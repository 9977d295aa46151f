// An article dated in the future is invisible everywhere until that moment,
// appears then with no further action, and no response tells a cache to keep
// the "not yet" answer past it. The clock is Vitest's, injected into the worker.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { previewPath } from '../../../src/content/preview-link.ts';
import { articleFile, fetchApp, seedArticle } from '../support/helpers.ts';

const NOW = Date.parse('2026-11-26T06:00:00Z');
/** Ten seconds after NOW: shorter than every configured lifetime, so each must be cut to it. */
const AT = NOW + 10_000;
const SLUG = 'world/dawn-story';

function lifetimes(res: Response): { maxAge: number; swr: number; cdnMaxAge: number; cdnSwr: number } {
  const value = (header: string, name: string) => Number(new RegExp(`${name}=(\\d+)`).exec(res.headers.get(header) ?? '')?.[1] ?? NaN);
  return {
    maxAge: value('Cache-Control', 'max-age'),
    swr: value('Cache-Control', 'stale-while-revalidate'),
    cdnMaxAge: value('CDN-Cache-Control', 'max-age'),
    cdnSwr: value('CDN-Cache-Control', 'stale-while-revalidate'),
  };
}

const LISTS = [
  '/', '/sections/world', '/feed.xml', '/sitemaps/articles-2026-11.xml', '/sitemaps/news.xml',
  '/tags/birdsong', '/tags/birdsong/feed.xml', '/authors/ada-early', '/search?q=chorus',
];

beforeAll(async () => {
  const common = 'section: world\ntags: [birdsong]\nauthors: [Ada Early]';
  await seedArticle('world/earlier', articleFile(`title: Already out\ndate: 2026-11-26T05:00:00Z\n${common}`, 'The chorus began at five (earlier).\n'));
  await seedArticle(SLUG, articleFile(`title: Published at dawn\ndate: ${new Date(AT).toISOString()}\n${common}`, 'The dawn chorus, at last.\n'));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('before its time', () => {
  it('is a 404, cacheable only until it appears', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    for (const path of [`/articles/${SLUG}`, `/api/articles/${SLUG}`]) {
      const res = await fetchApp(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('Cache-Control'), path).toBe('public, max-age=10');
    }
  });

  it('can be previewed with a signed link, like a draft', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const link = await previewPath('test-preview-secret', SLUG, NOW);
    const res = await fetchApp(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    expect(await res.text()).toContain('Published at dawn');
  });

  it('is in no list, feed or sitemap, and none of them may be kept past its time', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    for (const path of LISTS) {
      const res = await fetchApp(path);
      expect(res.status, path).toBe(200);
      const text = await res.text();
      expect(text, path).toContain('earlier');
      expect(text, path).not.toContain('dawn');
      const life = lifetimes(res);
      expect(life.maxAge + life.swr, path).toBeLessThanOrEqual(10);
      expect(life.cdnMaxAge + life.cdnSwr, path).toBeLessThanOrEqual(10);
    }
  });
});

describe('at its time', () => {
  it('appears everywhere, with new ETags, and nothing more', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const before = await Promise.all(LISTS.map(async (path) => (await fetchApp(path)).headers.get('ETag')));
    vi.setSystemTime(AT);
    expect((await fetchApp(`/articles/${SLUG}`)).status).toBe(200);
    expect((await fetchApp(`/api/articles/${SLUG}`)).status).toBe(200);
    for (const [i, path] of LISTS.entries()) {
      const res = await fetchApp(path, { headers: { 'If-None-Match': before[i]! } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('ETag'), path).not.toBe(before[i]);
      expect(await res.text(), path).toContain('dawn');
      // Nothing else is scheduled: the lists get their full lifetimes back (search its own, shorter one).
      const maxAge = path.startsWith('/search') ? 60 : 300;
      expect(res.headers.get('CDN-Cache-Control'), path).toBe(`max-age=${maxAge}, stale-while-revalidate=60, stale-if-error=86400`);
    }
  });
});
