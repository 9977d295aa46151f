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
  // The local limiter counts in fixed windows of the period, aligned to the
  // clock. A run that straddles a window's edge starts counting afresh, so it
  // is run again from another client; a run inside one window is strict.
  let limited = '';
  it('answers a reader\'s first searches, then a 429 with Retry-After that no cache keeps', async () => {
    let over: Response | undefined;
    for (let attempt = 1; attempt <= 3 && !over; attempt++) {
      const ip = `192.0.2.${attempt}`;
      const window = Math.floor(Date.now() / 60_000);
      for (let i = 0; i < LIMIT; i++) {
        const res = await fetchApp(`/search?q=word${attempt}x${i}`, { headers: from(ip) });
        expect(res.status, `search ${i + 1}`).toBe(200);
      }
      const last = await fetchApp('/search?q=one+more', { headers: from(ip) });
      if (Math.floor(Date.now() / 60_000) === window) [over, limited] = [last, ip];
    }
    if (!over) throw new Error('every attempt straddled a rate-limit window');
    expect(over.status).toBe(429);
    expect(over.headers.get('Retry-After')).toBe('60');
    expect(over.headers.get('Cache-Control')).toBe('no-store');
    expect(over.headers.get('ETag')).toBeNull();
    const html = await over.text();
    expect(html).toContain('Too many searches, too quickly');
    expect(html).toContain('<meta name="robots" content="noindex">');
  });

  it('still answers that reader what is already cached, and everything that is not search', async () => {
    // Its first search was rendered above: it comes from this isolate's memory, and reaches no D1 search.
    const first = `/search?q=word${limited.split('.').pop()}x0`;
    expect((await fetchApp(first, { headers: from(limited) })).status).toBe(200);
    for (const path of ['/', '/articles/limit/harbour', '/feed.xml', '/sitemap.xml', '/search']) {
      expect((await fetchApp(path, { headers: from(limited) })).status, path).toBe(200);
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
