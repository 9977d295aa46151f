// Search is the one reader route whose cost grows with the archive, so the
// searches that reach D1 are rate limited per client (the Rate Limiting
// binding, simulated locally as configured in wrangler.toml: 30 a minute).
// Past the limit a reader gets a readable 429 that no cache keeps; cached
// answers and ordinary reading are never limited.
import { beforeAll, describe, expect, it } from 'vitest';
import { articleFile, fetchApp, seedArticle } from '../support/helpers.ts';

const LIMIT = 30;
const from = (ip: string) => ({ 'CF-IPCountry': 'GB', 'CF-Connecting-IP': ip });

beforeAll(async () => {
  await seedArticle('limit/harbour', articleFile('title: The harbour\ndate: 2026-11-01T10:00:00Z', 'Boats and ferries and tides.\n'));
});

describe('search, rate limited per client', () => {
  it('answers a reader\'s first searches, then a 429 with Retry-After that no cache keeps', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const res = await fetchApp(`/search?q=word${i}`, { headers: from('192.0.2.1') });
      expect(res.status, `search ${i + 1}`).toBe(200);
    }
    const over = await fetchApp('/search?q=one+more', { headers: from('192.0.2.1') });
    expect(over.status).toBe(429);
    expect(over.headers.get('Retry-After')).toBe('60');
    expect(over.headers.get('Cache-Control')).toBe('no-store');
    expect(over.headers.get('ETag')).toBeNull();
    const html = await over.text();
    expect(html).toContain('Too many searches, too quickly');
    expect(html).toContain('<meta name="robots" content="noindex">');
  });

  it('still answers that reader what is already cached, and everything that is not search', async () => {
    // word0 was rendered above: it comes from this isolate's memory, and reaches no D1 search.
    expect((await fetchApp('/search?q=word0', { headers: from('192.0.2.1') })).status).toBe(200);
    for (const path of ['/', '/articles/limit/harbour', '/feed.xml', '/sitemap.xml', '/search']) {
      expect((await fetchApp(path, { headers: from('192.0.2.1') })).status, path).toBe(200);
    }
  });

  it('limits each client apart', async () => {
    expect((await fetchApp('/search?q=harbour', { headers: from('198.51.100.7') })).status).toBe(200);
  });

  it('keeps searching when the limiter itself fails, and when there is none', async () => {
    const failing = { limit: () => Promise.reject(new Error('limiter down')) };
    expect((await fetchApp('/search?q=tides', { headers: from('192.0.2.1'), bindings: { SEARCH_LIMITER: failing } })).status).toBe(200);
    expect((await fetchApp('/search?q=ferries', { headers: from('192.0.2.1'), bindings: { SEARCH_LIMITER: undefined } })).status).toBe(200);
  });
});
