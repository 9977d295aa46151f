// Requests anyone can send: malformed paths, odd methods, huge or garbage
// headers, spoofed geo values, junk query strings. None may reach KV when it
// need not, reflect input, create a cache variant, or produce a 5xx.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { untouchable } from '../support/bindings.ts';
import { articleFile, bannerRegion, fetchApp, seedArticle } from '../support/helpers.ts';

beforeAll(async () => {
  await seedArticle('world/story', articleFile('title: A story\ndate: 2026-11-01T10:00:00Z', 'Text.\n'));
});

describe('malformed slugs', () => {
  const paths = [
    '/articles/%2e%2e/x', '/articles/.%2e/x', '/articles/%2E', '/articles/a%00b', '/articles/a%2fb',
    '/articles/World/Story', '/articles/world/story/', '/articles/world//story', '/articles/world/story.md',
    '/articles/caf%C3%A9', '/articles/a--b', '/articles/-a', '/articles/a_b', `/articles/${'a'.repeat(201)}`,
    `/articles/${'a/'.repeat(150)}a`, '/articles/a%20b', '/articles/%0d%0aSet-Cookie:x=1', '/api/articles/..%2f',
    '/api/articles/A', '/preview/Bad%2FSlug?expires=1&sig=x',
    // KV keeps banner copy and images beside the articles: never read them as articles.
    '/articles/config/banners', '/api/articles/config/banners', '/articles/media/ferry',
    // Encoded forms of a key that exists are never decoded into it.
    '/articles/world%2fstory', '/articles/%77orld/story', '/articles/%2e%2e%2fworld%2fstory', `/articles/${'a'.repeat(5000)}`,
    // A key that a lax slug check would look up.
    '/articles/Bad..Key',
  ];
  for (const path of paths) {
    it(`${path.slice(0, 60)} is a 404 (or 403 for previews) without a KV read`, async () => {
      const res = await fetchApp(path, { bindings: { ARTICLES: untouchable('KV') } });
      expect([404, 403]).toContain(res.status);
      expect(res.headers.get('Set-Cookie')).toBeNull();
    });
  }
});

describe('methods', () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND', 'BAN', 'PURGE']) {
    it(`${method} gets 405 with Allow`, async () => {
      const res = await fetchApp('/articles/world/story', { method });
      expect(res.status).toBe(405);
      expect(res.headers.get('Allow')).toBe('GET, HEAD');
      expect(res.headers.get('Cache-Control')).toBe('no-store');
    });
  }
});

describe('huge and garbage headers', () => {
  const cases: Record<string, Record<string, string>> = {
    'a 16 KB geo header': { 'CF-IPCountry': 'G'.repeat(16_384) },
    'a geo header of punctuation': { 'CF-IPCountry': '"><script>' },
    'a geo header of non-ASCII': { 'CF-IPCountry': 'ÄÖ' },
    'If-None-Match with 5,000 tags': { 'If-None-Match': Array.from({ length: 5000 }, (_, i) => `"t${i}"`).join(', ') },
    'If-None-Match of garbage': { 'If-None-Match': '\u00ff\u00fe"",,,W/W/"' },
    'If-None-Match of 64 KB': { 'If-None-Match': `"${'x'.repeat(65_536)}"` },
    'If-Modified-Since of garbage': { 'If-Modified-Since': 'not a date at all ¯\\_(ツ)_/¯' },
    'If-Modified-Since far in the future': { 'If-Modified-Since': 'Fri, 31 Dec 9999 23:59:59 GMT' },
    'If-Modified-Since of 0': { 'If-Modified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' },
    'a huge cookie': { Cookie: `a=${'b'.repeat(32_000)}` },
    'a huge Accept-Language': { 'Accept-Language': 'en;q=0.1,'.repeat(2000) },
    'spoofed forwarding headers': { 'X-Forwarded-Host': 'evil.test', 'X-Forwarded-Proto': 'javascript', Forwarded: 'host=evil.test' },
  };
  for (const [name, headers] of Object.entries(cases)) {
    it(`survives ${name}`, async () => {
      for (const path of ['/articles/world/story', '/', '/feed.xml', '/api/articles/world/story']) {
        const res = await fetchApp(path, { headers });
        expect(res.status, path).toBeLessThan(500);
        const body = await res.text();
        expect(body).not.toMatch(/<script>"|<script>alert|onerror=/);
        expect(body).not.toContain('evil.test');
      }
    });
  }
});

describe('geo headers', () => {
  it('are never reflected, and a spoofed value only picks a known group', async () => {
    for (const value of ['ZZ', 'QQ', 'EU', 'A1', 'XX', 'T1', 'us', 'Gb', '12', '<b>', 'U S', 'Q!Z', 'xyzzy']) {
      const html = await (await fetchApp('/articles/world/story', { headers: { 'CF-IPCountry': value } })).text();
      expect(['US', 'UK', 'EU', 'AU', 'CA', 'NZ', 'INTL']).toContain(bannerRegion(html));
      // Values that cannot occur in the page by chance must not occur in it at all.
      if (['<b>', 'Q!Z', 'xyzzy'].includes(value)) expect(html).not.toContain(value);
    }
  });
});

describe('query strings', () => {
  it('that are not documented change nothing: same bytes, same ETag', async () => {
    const plain = await fetchApp('/articles/world/story', { headers: { 'CF-IPCountry': 'DE' } });
    const body = await plain.text();
    for (const query of ['?utm_source=x', '?fbclid=abc&gclid=def', '?page=2', '?region=mars', `?x=${encodeURIComponent('"><script>alert(1)</script>')}`]) {
      const res = await fetchApp(`/articles/world/story${query}`, { headers: { 'CF-IPCountry': 'DE' } });
      expect(res.headers.get('ETag'), query).toBe(plain.headers.get('ETag'));
      expect(await res.text(), query).toBe(body);
    }
  });

  it('on the index: only ?page= matters', async () => {
    const plain = await fetchApp('/');
    const tracked = await fetchApp('/?utm_campaign=y&region=UK');
    expect(tracked.headers.get('ETag')).toBe(plain.headers.get('ETag'));
  });
});

describe('security headers', () => {
  it('are on every kind of response, errors included', async () => {
    const broken = { ...env, ARTICLES: untouchable('KV') };
    const responses: [string, Response][] = [
      ['article', await fetchApp('/articles/world/story')],
      ['index', await fetchApp('/')],
      ['feed', await fetchApp('/feed.xml')],
      ['304', await fetchApp('/', { headers: { 'If-None-Match': '*' } })],
      ['404', await fetchApp('/nope')],
      ['405', await fetchApp('/', { method: 'POST' })],
      ['503', await fetchApp('/articles/world/other', { bindings: broken })],
      ['403 preview', await fetchApp('/preview/world/story?expires=1&sig=x')],
    ];
    for (const [name, res] of responses) {
      const csp = res.headers.get('Content-Security-Policy') ?? '';
      expect(csp, name).toContain("default-src 'none'");
      expect(csp, name).toContain("object-src 'none'");
      expect(csp, name).toContain("base-uri 'none'");
      expect(csp, name).toContain("frame-ancestors 'none'");
      expect(csp, name).not.toMatch(/unsafe-inline|unsafe-eval|nonce-/);
      expect(res.headers.get('X-Content-Type-Options'), name).toBe('nosniff');
      expect(res.headers.get('Referrer-Policy'), name).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('Strict-Transport-Security'), name).toContain('max-age=31536000');
      expect(res.headers.get('Permissions-Policy'), name).toContain('geolocation=()');
      expect(res.headers.get('Permissions-Policy'), name).toContain('camera=()');
    }
  });

  it('sandbox media, so an SVG opened directly cannot run script', async () => {
    await env.ARTICLES.put('media/evil.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const res = await fetchApp('/media/evil.svg');
    expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });
});
