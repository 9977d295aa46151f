// End to end through a real caching proxy: Debian's Varnish with its stock
// built-in VCL (only a backend defined) in front of the bundled worker in
// workerd. Varnish knows nothing about regions; it must get them right from
// our Vary, ETag and Cache-Control alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/content/article.ts';
import { contentHash, toMetadata } from '../../src/storage/kv-format.ts';
import { readmeVcl, startVarnish, type Varnish } from '../../support/varnish.ts';
import { FRONTS_KEY } from '../../src/storage/kv-format.ts';
import { indexRows } from '../../support/seed.ts';
import { ROOT, startWorker, type WorkerServer } from '../../support/worker-server.ts';
import { prepareBody } from '../../src/content/markdown.ts';
import { indexRow } from '../../src/storage/index-rows.ts';

// Short lifetimes so the test can watch them pass. Varnish takes its TTL from
// max-age and its grace from stale-while-revalidate.
const LIFETIME = 3;

const HEADER_TO_GROUP: [string | null, string][] = [
  ['US', 'US'], ['GB', 'UK'], ['gb', 'UK'], ['JE', 'UK'], ['DE', 'EU'], ['FR', 'EU'], ['NO', 'EU'],
  ['AU', 'AU'], ['CA', 'CA'], ['NZ', 'NZ'], ['JP', 'INTL'], ['BR', 'INTL'], ['XX', 'INTL'], ['T1', 'INTL'], [null, 'INTL'],
];

const PATH = '/articles/world/ferry';
let worker: WorkerServer;
let varnish: Varnish;

function source(text: string): string {
  return `---\ntitle: The ferry\ndate: 2026-11-20T08:30:00Z\nstandfirst: A story.\n---\n\n${text}\n`;
}

/** Writes an article as `npm run publish` does: the file in KV, then its index row. */
async function publish(slug: string, file: string, to = worker): Promise<void> {
  const parsed = parseArticle(file, slug);
  if (!parsed.ok) throw new Error('bad test article');
  const meta = { ...parsed.article, slug };
  const hash = await contentHash(file);
  await to.kv.put(slug, file, { metadata: toMetadata(meta, hash) });
  await indexRows(to, [indexRow(meta, hash, prepareBody(parsed.article.body).text())]);
}

function viaVarnish(path: string, country: string | null, init: RequestInit = {}, proxy = varnish): Promise<Response> {
  const headers = new Headers(init.headers);
  if (country !== null) headers.set('CF-IPCountry', country);
  return fetch(proxy.url + path, { ...init, headers });
}

function region(html: string): string | undefined {
  return /data-region="([A-Z]+)"/.exec(html)?.[1];
}

/** Varnish's X-Varnish holds two transaction ids when the object came from cache. */
function isHit(res: Response): boolean {
  return (res.headers.get('X-Varnish') ?? '').trim().split(/\s+/).length === 2;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  worker = await startWorker({
    // Behind Varnish the geo header is the only source; request.cf belongs to Cloudflare.
    vars: { REGION_HEADERS: 'CF-IPCountry', ISOLATE_CACHE_TTL: '0', BROWSER_MAX_AGE: String(LIFETIME), STALE_WHILE_REVALIDATE: String(LIFETIME), CDN_MAX_AGE: String(LIFETIME) },
  });
  await publish('world/ferry', source('The first edition.'));
  varnish = await startVarnish(new URL(worker.url).host);
}, 120_000);

afterAll(async () => {
  await varnish?.close();
  await worker?.close();
});

describe('through Varnish', () => {
  it('gives every region its own banner over a few hundred mixed requests, mostly from cache', async () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let hits = 0;
    const total = 300;
    for (let batch = 0; batch < total / 10; batch++) {
      const picks = Array.from({ length: 10 }, () => HEADER_TO_GROUP[Math.floor(random() * HEADER_TO_GROUP.length)]!);
      const responses = await Promise.all(picks.map(([header]) => viaVarnish(PATH, header)));
      for (const [i, res] of responses.entries()) {
        const [header, group] = picks[i]!;
        expect(res.status).toBe(200);
        expect(region(await res.text()), `CF-IPCountry ${header}`).toBe(group);
        if (isHit(res)) hits++;
      }
    }
    const ratio = hits / total;
    console.log(`varnish mixed-region run: ${hits}/${total} hits (${(ratio * 100).toFixed(1)}%), ${HEADER_TO_GROUP.length} header values`);
    expect(ratio).toBeGreaterThan(0.85);
  });

  it('serves a repeated same-region request from cache', async () => {
    await viaVarnish(PATH, 'CA');
    const again = await viaVarnish(PATH, 'CA');
    expect(isHit(again)).toBe(true);
    expect(region(await again.text())).toBe('CA');
  });

  it('answers a client revalidation with 304, per region', async () => {
    const uk = await viaVarnish(PATH, 'GB');
    const etag = uk.headers.get('ETag')!;
    expect(etag).toMatch(/\.UK\./);
    const revalidated = await viaVarnish(PATH, 'GB', { headers: { 'If-None-Match': etag } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    // The UK tag does not validate the US variant.
    const us = await viaVarnish(PATH, 'US', { headers: { 'If-None-Match': etag } });
    expect(us.status).toBe(200);
    expect(region(await us.text())).toBe('US');
  });

  it('answers HEAD with the headers of GET', async () => {
    const get = await viaVarnish(PATH, 'DE');
    await get.arrayBuffer();
    const head = await viaVarnish(PATH, 'DE', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const name of ['ETag', 'Vary', 'Cache-Control', 'Last-Modified', 'Content-Type', 'Cache-Tag', 'Content-Length']) {
      expect(head.headers.get(name), name).toBe(get.headers.get(name));
    }
  });

  it('revalidates with the worker (a 304 from the backend) once the lifetime passes', async () => {
    await viaVarnish(PATH, 'AU');
    const before = await varnish.stat('MAIN.fetch_304');
    await sleep((LIFETIME + 1) * 1000);
    // Served from grace while Varnish revalidates in the background with If-None-Match.
    const res = await viaVarnish(PATH, 'AU');
    expect(region(await res.text())).toBe('AU');
    for (let i = 0; i < 50 && (await varnish.stat('MAIN.fetch_304')) === before; i++) await sleep(100);
    expect(await varnish.stat('MAIN.fetch_304')).toBeGreaterThan(before);
  });

  it('shows a republished article to every region once the lifetime passes', async () => {
    await publish('world/ferry', source('The second edition.'));
    const deadline = Date.now() + (LIFETIME * 3 + 10) * 1000;
    for (const [header, group] of [['GB', 'UK'], ['US', 'US'], ['JP', 'INTL']] as const) {
      let html = '';
      while (Date.now() < deadline) {
        html = await (await viaVarnish(PATH, header)).text();
        if (html.includes('The second edition.')) break;
        await sleep(250);
      }
      expect(html, header).toContain('The second edition.');
      expect(region(html)).toBe(group);
    }
  });
});

describe('through Varnish with the README\'s VCL', () => {
  const ARTICLE = '/articles/world/tuned';
  let tunedWorker: WorkerServer;
  let tuned: Varnish;

  beforeAll(async () => {
    // Browsers may keep a page 1 s, shared caches 60 s, and nothing is served stale:
    // stock Varnish would refetch after a second, the README's VCL must not.
    tunedWorker = await startWorker({
      vars: { REGION_HEADERS: 'CF-IPCountry', ISOLATE_CACHE_TTL: '0', BROWSER_MAX_AGE: '1', CDN_MAX_AGE: '60', STALE_WHILE_REVALIDATE: '0' },
    });
    await publish('world/tuned', source('Tuned, first.'), tunedWorker);
    tuned = await startVarnish(new URL(tunedWorker.url).host, await readmeVcl(ROOT));
  }, 120_000);

  afterAll(async () => {
    await tuned?.close();
    await tunedWorker?.close();
  });

  it('keeps the front of each edition apart, never handing the front of one group to another, while /editions/<id> is one object for all', async () => {
    await tunedWorker.kv.put(FRONTS_KEY, `editions:
  uk: { title: UK edition, regions: [UK, EU] }
  us: { title: US edition, regions: [US, CA] }
fronts:
  uk:
    - { title: Tuned for the UK, articles: [world/tuned] }
  us:
    - { title: Tuned for the US, articles: [world/tuned] }
`);
    const expected: Record<string, string> = { GB: 'UK edition', JE: 'UK edition', DE: 'UK edition', FR: 'UK edition', US: 'US edition', CA: 'US edition' };
    const order = Object.keys(expected);
    let hits = 0;
    for (let round = 0; round < 5; round++) {
      for (const country of round % 2 ? [...order].reverse() : order) {
        const res = await viaVarnish('/', country, {}, tuned);
        const html = await res.text();
        expect(/<p class="edition-current">([^<]+)<\/p>/.exec(html)?.[1], `${country}, round ${round}`).toBe(expected[country]);
        expect(html, country).toContain(expected[country] === 'UK edition' ? 'Tuned for the UK' : 'Tuned for the US');
        if (isHit(res)) hits++;
      }
    }
    // Four countries, two groups: after the first round, everything but a group's first country is a hit.
    expect(hits).toBeGreaterThanOrEqual(4 * order.length);
    await viaVarnish('/editions/us', 'GB', {}, tuned);
    const other = await viaVarnish('/editions/us', 'DE', {}, tuned);
    expect(isHit(other)).toBe(true);
    expect(await other.text()).toContain('Tuned for the US');
  });

  it('shares one object between spellings of a country, and keeps regions apart', async () => {
    await viaVarnish(ARTICLE, 'gb', {}, tuned);
    const upper = await viaVarnish(ARTICLE, 'GB', {}, tuned);
    expect(isHit(upper)).toBe(true);
    expect(region(await upper.text())).toBe('UK');
    const us = await viaVarnish(ARTICLE, 'US', {}, tuned);
    expect(region(await us.text())).toBe('US');
  });

  it('does not let tracking parameters split the cache, but keeps ?region=', async () => {
    await viaVarnish(ARTICLE, 'DE', {}, tuned);
    const tracked = await viaVarnish(`${ARTICLE}?utm_source=news&fbclid=abc`, 'DE', {}, tuned);
    expect(isHit(tracked)).toBe(true);
    const preview = await viaVarnish(`${ARTICLE}?utm_source=x&region=NZ`, 'DE', {}, tuned);
    expect(region(await preview.text())).toBe('NZ');
  });

  it('keeps ?q= in the key for /search only, and sorts parameters so one order is one object', async () => {
    await publish('world/searchable', source('A paragraph about lighthouses.'), tunedWorker);
    const first = await viaVarnish('/search?q=lighthouses&utm_source=x', 'GB', {}, tuned);
    expect(await first.text()).toContain('<mark>lighthouses</mark>');
    expect(isHit(await viaVarnish('/search?q=lighthouses', 'US', {}, tuned))).toBe(true);
    const other = await viaVarnish('/search?q=ferries', 'GB', {}, tuned);
    expect(isHit(other)).toBe(false);
    expect(await other.text()).not.toContain('<mark>lighthouses</mark>');
    await viaVarnish('/search?q=lighthouses&page=1', 'GB', {}, tuned);
    expect(isHit(await viaVarnish('/search?page=1&q=lighthouses', 'GB', {}, tuned))).toBe(true);
    // Elsewhere q means nothing, so it cannot split the cache.
    await viaVarnish(ARTICLE, 'FR', {}, tuned);
    expect(isHit(await viaVarnish(`${ARTICLE}?q=anything`, 'FR', {}, tuned))).toBe(true);
  });

  it('keeps objects for the CDN-Cache-Control lifetime, not the browser one', async () => {
    await (await viaVarnish(ARTICLE, 'AU', {}, tuned)).arrayBuffer();
    await sleep(2000);
    const later = await viaVarnish(ARTICLE, 'AU', {}, tuned);
    expect(later.headers.get('Cache-Control')).toContain('max-age=1,');
    expect(isHit(later)).toBe(true);
    expect(Number(later.headers.get('Age'))).toBeGreaterThanOrEqual(2);
  });

  it('purges every region\'s copy of an article by its tag', async () => {
    for (const country of ['GB', 'US', 'JP']) await viaVarnish(ARTICLE, country, {}, tuned);
    await publish('world/tuned', source('Tuned, corrected.'), tunedWorker);
    expect(await (await viaVarnish(ARTICLE, 'GB', {}, tuned)).text()).toContain('Tuned, first.');
    const ban = await fetch(tuned.url + ARTICLE, { method: 'BAN', headers: { 'Surrogate-Key': 'article:world/tuned' } });
    expect(ban.status).toBe(200);
    for (const [country, group] of [['GB', 'UK'], ['US', 'US'], ['JP', 'INTL']] as const) {
      const html = await (await viaVarnish(ARTICLE, country, {}, tuned)).text();
      expect(html, country).toContain('Tuned, corrected.');
      expect(region(html)).toBe(group);
    }
  });
});
