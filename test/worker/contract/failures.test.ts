// When storage fails or stored content is bad: a stale copy marked not to be
// stored, or a clear 503 or 500 that no cache keeps, and a log line naming
// what failed; everything else keeps working.
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { switchableD1, switchableKv } from '../support/bindings.ts';
import { articleFile, bannerRegion, fetchApp, seedArticle } from '../support/helpers.ts';

const PATH = '/articles/cache-me';

function logged(spy: { mock: { calls: unknown[][] } }): string {
  return spy.mock.calls.map((args) => args.join(' ')).join('\n');
}

/** The `storage.stale` log lines written while the spy watched. */
function staleLines(spy: { mock: { calls: unknown[][] } }): unknown[] {
  return spy.mock.calls.map((args) => JSON.parse(String(args[0]))).filter((line) => line.event === 'storage.stale');
}

beforeAll(async () => {
  await seedArticle('cache-me', articleFile('title: Caching\ndate: 2026-11-20T08:30:00Z', 'First text.\n'));
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

describe('when KV fails', () => {
  it('serves the last good copy, marked not to be stored', async () => {
    const { kv, set } = switchableKv(env.ARTICLES);
    const bindings = { ...env, ARTICLES: kv };
    const good = await fetchApp(PATH, { headers: { 'CF-IPCountry': 'CA' }, bindings });
    expect(good.status).toBe(200);
    set('throw');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const stale = await fetchApp(PATH, { headers: { 'CF-IPCountry': 'CA' }, bindings });
    expect(stale.status).toBe(200);
    expect(bannerRegion(await stale.text())).toBe('CA');
    expect(stale.headers.get('Cache-Control')).toBe('no-store');
    expect(stale.headers.get('CDN-Cache-Control')).toBe('no-store');
    expect(staleLines(warn)).toEqual([
      expect.objectContaining({ cache: 'article', key: 'cache-me' }),
      expect.objectContaining({ cache: 'config file', key: 'config/banners' }),
    ]);
  });

  it('answers 503 with Retry-After and no-store when there is no good copy', async () => {
    const { kv, set } = switchableKv(env.ARTICLES);
    set('throw');
    const res = await fetchApp('/articles/never-read-before', { bindings: { ARTICLES: kv } });
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('30');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('gives up on a hanging KV after KV_TIMEOUT_MS instead of hanging the request', async () => {
    const { kv, set } = switchableKv(env.ARTICLES);
    set('hang');
    const res = await fetchApp('/articles/also-never-read', { bindings: { ARTICLES: kv, KV_TIMEOUT_MS: '150' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });
});

describe('when D1 fails', () => {
  it('serves the last rendered list, marked not to be stored, once its lifetime has passed', async () => {
    const { db, set } = switchableD1(env.INDEX);
    const bindings = { ...env, INDEX: db, ISOLATE_CACHE_TTL: '30' };
    const fresh = await fetchApp('/', { bindings });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('Cache-Control')).toContain('public');
    set('throw');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 31_000);
      const stale = await fetchApp('/', { bindings });
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
    const fresh = await fetchApp('/feed.xml', { bindings });
    expect(fresh.status).toBe(200);
    await seedArticle('feed-change', articleFile('title: A change to the index\ndate: 2026-02-01'));
    set('throw', 1);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const stale = await fetchApp('/feed.xml', { bindings });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('Cache-Control')).toBe('no-store');
    expect(await stale.text()).toBe(await fresh.text());
    expect(staleLines(warn)).toEqual([expect.objectContaining({ cache: 'list bodies' })]);
  });

  it('answers 503 with Retry-After and no-store for a list never rendered before', async () => {
    const { db, set } = switchableD1(env.INDEX);
    set('throw');
    const res = await fetchApp('/sections/never-listed', { bindings: { INDEX: db } });
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('30');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('gives up on a hanging D1 after D1_TIMEOUT_MS instead of hanging the request', async () => {
    const { db, set } = switchableD1(env.INDEX);
    set('hang');
    const res = await fetchApp('/sections/hanging', { bindings: { INDEX: db, D1_TIMEOUT_MS: '150' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('tries a read again when D1 reports a passing failure, and answers as if nothing happened', async () => {
    // D1 whose next two queries fail the way a busy or reset database does.
    let failures = 2;
    const flaky = new Proxy(env.INDEX, {
      get(target, prop) {
        const value = Reflect.get(target, prop);
        if (prop !== 'withSession') return typeof value === 'function' ? value.bind(target) : value;
        return (...args: unknown[]) => new Proxy(value.apply(target, args), {
          get(session, p) {
            const v = Reflect.get(session, p);
            if (p !== 'prepare') return typeof v === 'function' ? v.bind(session) : v;
            return (sql: string) => {
              const statement = v.call(session, sql);
              return new Proxy(statement, {
                get(st, q) {
                  const w = Reflect.get(st, q);
                  if (q === 'bind') return (...params: unknown[]) => new Proxy(w.apply(st, params), this);
                  if (q !== 'first' && q !== 'all') return typeof w === 'function' ? w.bind(st) : w;
                  return (...a: unknown[]) => (failures-- > 0 ? Promise.reject(new Error('D1_ERROR: internal error; reference = x')) : w.apply(st, a));
                },
              });
            };
          },
        });
      },
    });
    const res = await fetchApp('/', { bindings: { INDEX: flaky, LIST_CACHE_MB: '0', ISOLATE_CACHE_TTL: '0' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toContain('public');
    expect(failures).toBeLessThan(0);
  });

  it('still serves articles, which come from KV', async () => {
    const { db, set } = switchableD1(env.INDEX);
    set('throw');
    const res = await fetchApp(PATH, { bindings: { INDEX: db } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toContain('public');
  });
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
