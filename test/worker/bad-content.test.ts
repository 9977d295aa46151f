// Broken or hostile stored content: a clear uncached 500 for that article,
// logged with its slug, while everything else keeps working.
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderCacheBytes, renderCacheContents } from '../../src/articles/render-cache.ts';
import { contentHash } from '../../src/storage/kv-format.ts';
import app from '../../src/index.ts';
import { ORIGIN, articleFile, seedArticle } from './helpers.ts';

function fetchApp(path: string, bindings: object = env): Promise<Response> {
  return Promise.resolve(app.fetch(new Request(ORIGIN + path), bindings));
}

function logged(spy: { mock: { calls: unknown[][] } }): string {
  return spy.mock.calls.map((args) => args.join(' ')).join('\n');
}

beforeAll(async () => {
  await seedArticle('good', articleFile('title: Still fine\ndate: 2026-11-01'));
  await env.ARTICLES.put('broken/yaml', '---\ntitle: [unclosed\ndate: 2026-11-01\n---\nBody\n');
  await env.ARTICLES.put('broken/no-title', '---\ndate: 2026-11-01\n---\nBody\n');
  await env.ARTICLES.put('broken/no-front-matter', '# Just a heading\n\nAnd text.\n');
  // Latin-1 bytes for "café", which are not valid UTF-8.
  await env.ARTICLES.put('broken/latin1', new Uint8Array([...new TextEncoder().encode('---\ntitle: caf'), 0xe9, ...new TextEncoder().encode('\ndate: 2026-11-01\n---\nBody\n')]));
  await env.ARTICLES.put('broken/oversize', articleFile('title: Huge\ndate: 2026-11-01', 'x'.repeat(1024 * 1024)));
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('an article that cannot be read', () => {
  for (const slug of ['broken/yaml', 'broken/no-title', 'broken/no-front-matter', 'broken/latin1', 'broken/oversize']) {
    it(`${slug}: a 500 page, no-store, logged with the slug`, async () => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      const res = await fetchApp(`/articles/${slug}`);
      expect(res.status).toBe(500);
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      expect(res.headers.get('CDN-Cache-Control')).toBeNull();
      expect(await res.text()).toContain('could not be shown');
      expect(logged(errors)).toContain(`"slug":"${slug}"`);
    });
  }

  it('leaves other articles and the index working, and the index skips it', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect((await fetchApp('/articles/good')).status).toBe(200);
    const index = await fetchApp('/');
    expect(index.status).toBe(200);
    const html = await index.text();
    expect(html).toContain('Still fine');
    expect(html).not.toContain('broken/');
    expect((await fetchApp('/feed.xml')).status).toBe(200);
  });
});

describe('an article that would be slow to render', () => {
  it('renders as escaped paragraphs, with a log line naming the slug', async () => {
    await env.ARTICLES.put('slow/emphasis', articleFile('title: Slow\ndate: 2026-11-01', '_a'.repeat(50_000)));
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const res = await fetchApp('/articles/slow/emphasis');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`<p>${'_a'.repeat(100)}`);
    expect(logged(warnings)).toMatch(/"event":"render.degraded","slug":"slow\/emphasis"/);
  });
});

describe('the render cache', () => {
  it('never holds more than RENDER_CACHE_MB, however many articles are read', async () => {
    const bindings = { ...env, RENDER_CACHE_MB: '1' };
    const body = 'A sentence of ordinary prose for the cache test. '.repeat(300); // ~15 KB
    const sources = Array.from({ length: 120 }, (_, i) => articleFile(`title: Cache ${i}\ndate: 2026-11-01`, body));
    for (const [i, source] of sources.entries()) await seedArticle(`cache/a-${i}`, source);
    for (let i = 0; i < sources.length; i++) expect((await fetchApp(`/articles/cache/a-${i}`, bindings)).status).toBe(200);
    // 120 rendered pages of this size need several megabytes; the budget is one.
    expect(renderCacheBytes()).toBeLessThanOrEqual(1024 * 1024);
    expect(renderCacheBytes()).toBeGreaterThan(512 * 1024);
    const renders = renderCacheContents().filter((e) => e.kind === 'render');
    const rendered = async (i: number) => {
      const suffix = `|${ORIGIN}|cache/a-${i}|${await contentHash(sources[i]!)}`;
      return renders.some((e) => e.key.endsWith(suffix));
    };
    expect(await rendered(119)).toBe(true);
    expect(await rendered(0)).toBe(false);
  });
});
