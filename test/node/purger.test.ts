// How the CLI sends purges to each kind of cache, checked on the requests it
// makes (the real Varnish and worker targets run in purge.test.ts).
import { describe, expect, it } from 'vitest';
import { purgeTargetsFromEnv, sendPurges } from '../../src/cli/purger.ts';
import { verifyPurge } from '../../src/content/purge-request.ts';
import { ROOT } from '../../support/worker-server.ts';

/** A fetch that records each request and answers with `status`. */
function recorder(status = 200, body = '') {
  const requests: { url: string; method: string; headers: Headers; body: string }[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(input), method: init?.method ?? 'GET', headers: new Headers(init?.headers), body: String(init?.body ?? '') });
    return new Response(body, { status });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

const tags = (n: number) => Array.from({ length: n }, (_, i) => `article:s-${i}`);

describe('sendPurges', () => {
  it('bans a Varnish by Surrogate-Key, 50 tags a request', async () => {
    const { fetch, requests } = recorder();
    const [result] = await sendPurges({ tags: tags(120) }, { proxies: ['http://varnish.test:6081'] }, { fetch });
    expect(result).toMatchObject({ ok: true, detail: '120 tag(s) banned' });
    expect(requests.map((r) => [r.method, r.url, r.headers.get('Surrogate-Key')!.split(' ').length])).toEqual([
      ['BAN', 'http://varnish.test:6081/', 50], ['BAN', 'http://varnish.test:6081/', 50], ['BAN', 'http://varnish.test:6081/', 20],
    ]);
  });

  it('purges a Fastly service through its API, 256 keys a request, with the token', async () => {
    const { fetch, requests } = recorder();
    const service = 'https://api.fastly.com/service/SU1Z0isxPaozGVKXdv0eY';
    const [result] = await sendPurges({ tags: tags(300) }, { proxies: [service], fastlyToken: 'tok' }, { fetch });
    expect(result!.ok).toBe(true);
    expect(requests.map((r) => [r.method, r.url, r.headers.get('Fastly-Key'), r.headers.get('Surrogate-Key')!.split(' ').length])).toEqual([
      ['POST', `${service}/purge`, 'tok', 256], ['POST', `${service}/purge`, 'tok', 44],
    ]);
    await sendPurges({ everything: true }, { proxies: [service], fastlyToken: 'tok' }, { fetch });
    expect(requests.at(-1)!.url).toBe(`${service}/purge_all`);
    const [noToken] = await sendPurges({ tags: ['index'] }, { proxies: [service] }, { fetch });
    expect(noToken).toMatchObject({ ok: false, detail: 'FASTLY_API_TOKEN is not set' });
  });

  it('signs the request to the worker\'s purge route so that the route accepts it', async () => {
    const { fetch, requests } = recorder(200, '{"cache":"purged","calls":1,"tags":2}');
    const now = Date.now();
    const [result] = await sendPurges({ tags: ['index', 'front'] }, { worker: 'https://news.test', secret: 's3cret', proxies: [] }, { fetch, now });
    expect(result).toMatchObject({ ok: true, detail: '2 tag(s) in 1 call(s)' });
    const sent = requests[0]!;
    expect([sent.method, sent.url]).toEqual(['POST', 'https://news.test/_purge']);
    expect(await verifyPurge('s3cret', sent.headers, sent.body, now)).toEqual({ ok: true, body: { tags: ['index', 'front'] } });
  });

  it('reports what each failure was, and never throws', async () => {
    const refused = recorder(401, '{"error":"the signature does not match: check PURGE_SECRET"}');
    expect((await sendPurges({ tags: ['x'] }, { worker: 'https://news.test', secret: 'x', proxies: [] }, { fetch: refused.fetch }))[0])
      .toMatchObject({ ok: false, detail: '401: the signature does not match: check PURGE_SECRET' });
    const html = recorder(200, '<html>a login page</html>');
    expect((await sendPurges({ tags: ['x'] }, { worker: 'https://news.test', secret: 'x', proxies: [] }, { fetch: html.fetch }))[0]!.detail)
      .toContain("not the purge route's answer");
    expect((await sendPurges({ tags: ['x'] }, { worker: 'https://news.test', proxies: [] }))[0]!.detail).toContain('PURGE_SECRET is not set');
    const down = (async () => { throw new Error('ECONNREFUSED'); }) as unknown as typeof globalThis.fetch;
    expect((await sendPurges({ tags: ['x'] }, { proxies: ['http://v.test'] }, { fetch: down }))[0]!.detail).toContain('ECONNREFUSED');
    const banned = recorder(405);
    expect((await sendPurges({ tags: ['x'] }, { proxies: ['http://v.test'] }, { fetch: banned.fetch }))[0]!.detail).toBe('BAN answered 405 after 0 of 1 tag(s)');
  });
});

describe('purge targets from the environment', () => {
  it('purges the worker only for remote targets (or PURGE_ORIGIN), and every PURGE_URLS entry', async () => {
    const env = { PURGE_URLS: ' http://a.test/ ,http://b.test', SITE_URL: 'https://news.test', PURGE_SECRET: 's', FASTLY_API_TOKEN: 'f' };
    expect(await purgeTargetsFromEnv(ROOT, true, env)).toEqual({ proxies: ['http://a.test', 'http://b.test'], worker: 'https://news.test', secret: 's', fastlyToken: 'f' });
    expect((await purgeTargetsFromEnv(ROOT, false, env)).worker).toBeUndefined();
    expect((await purgeTargetsFromEnv(ROOT, false, { PURGE_ORIGIN: 'http://127.0.0.1:8787/' })).worker).toBe('http://127.0.0.1:8787');
  });
});
