// Purge on publish, end to end: the real editors' commands (real wrangler,
// real local KV and D1) publish while a real Varnish running the README's
// VCL caches the bundled worker in workerd with the production lifetimes
// (5 minutes for shared caches, a 5 s isolate memo). A change must show
// through Varnish within 2 s for every region group, on the article and on
// every list that shows it; Varnish must keep at most one copy per group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purge } from '../../src/cli/purge.ts';
import { settleMs } from '../../src/cli/purger.ts';
import { groupForCountry, parseCountry } from '../../src/content/region-groups.ts';
import { article, desks, wrangler, type Desk } from '../../support/desk.ts';
import { freePort, readmeVcl, startVarnish, type Varnish } from '../../support/varnish.ts';
import { ROOT, TEST_PURGE_SECRET, type WorkerServer } from '../../support/worker-server.ts';

const COUNTRY_OF: Record<string, string> = { US: 'US', UK: 'GB', EU: 'DE', AU: 'AU', CA: 'CA', NZ: 'NZ', INTL: 'JP' };

let cleanup: () => Promise<void>;
let desk: Desk;
let worker: WorkerServer;
let varnish: Varnish;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function get(path: string, country?: string): Promise<Response> {
  return fetch(varnish.url + path, { headers: country ? { 'CF-IPCountry': country } : {} });
}

/** Polls `check` until it holds or `ms` pass; returns how long it took, or throws with what it last saw. */
async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(50);
  }
}

const banner = (html: string) => /data-region="([A-Z]+)"/.exec(html)?.[1];
const purgeTargets = () => ({ proxies: [varnish.url] });
/** The worker below reuses index reads for 5 s: the commands purge again once that (and a refresh's timeout) has passed. */
const SETTLE_MS = settleMs(5, 2000);

beforeAll(async () => {
  let newDesk;
  ({ newDesk, cleanup } = await desks());
  desk = await newDesk({ published: true });
  // The production lifetimes and memo: only a purge can make a change show within seconds.
  worker = await desk.startWorker({ vars: { REGION_HEADERS: 'CF-IPCountry', ISOLATE_CACHE_TTL: '5' } });
  varnish = await startVarnish(new URL(worker.url).host, await readmeVcl(ROOT));
}, 180_000);

afterAll(async () => {
  await varnish?.close();
  await worker?.close();
  await cleanup?.();
});

describe('publishing through a cache that keeps pages for five minutes', () => {
  it('shows a changed article within 2 s for every region, on its page, the front page, its section and its feed', async () => {
    const pages = ['/articles/news/harbour', '/', '/sections/local', '/sections/local/feed.xml'];
    for (const path of pages) for (const country of Object.values(COUNTRY_OF)) await (await get(path, country)).arrayBuffer();
    // Cached: a second request is a hit, and it is the old text.
    const hit = await get('/articles/news/harbour', 'GB');
    expect(hit.headers.get('X-Varnish')?.split(' ')).toHaveLength(2);
    expect(await hit.text()).toContain('Harbour reopens');

    const file = await desk.write('news/harbour.md', article('Harbour reopens after the storm', 'image:\n  src: /media/ferry.svg\n  alt: A ferry\nsection: local\n'));
    const { code, output } = await desk.publish([file], { purge: purgeTargets(), settleMs: SETTLE_MS });
    expect(code, output).toBe(0);
    expect(output).toMatch(/purged\s+http:\/\/127\.0\.0\.1:\d+: \d+ tag\(s\) banned/);
    expect(output).toContain('Purging again in 8 s, once every isolate has read the index again');
    for (const [group, country] of Object.entries(COUNTRY_OF)) {
      await within(2000, `article for ${group}`, async () => {
        const html = await (await get('/articles/news/harbour', country)).text();
        return html.includes('after the storm') && banner(html) === group;
      });
    }
    for (const path of pages.slice(1)) {
      await within(2000, path, async () => (await (await get(path, 'GB')).text()).includes('after the storm'));
    }
  });

  it('shows new banner copy within 2 s on article pages, to the group it is for alone', async () => {
    for (const country of Object.values(COUNTRY_OF)) await (await get('/articles/world/americas/gift', country)).arrayBuffer();
    const file = await desk.write('banners.yaml', 'UK:\n  heading: A new winter appeal\n  paragraphs: [Thanks.]\n  primary: {label: Give, url: /give}\n');
    const { code, output } = await desk.publish([file], { purge: purgeTargets(), settleMs: SETTLE_MS });
    expect(code, output).toBe(0);
    expect(output).toMatch(/updated\s+config\/banners/);
    await within(2000, 'UK banner', async () => (await (await get('/articles/world/americas/gift', 'GB')).text()).includes('A new winter appeal'));
    const us = await (await get('/articles/world/americas/gift', 'US')).text();
    expect(banner(us)).toBe('US');
    expect(us).not.toContain('A new winter appeal');
  });

  it('shows a new fronts file within 2 s on / for each edition and on /editions/<id>', async () => {
    const fronts = (lead: string) => `editions:
  uk: { title: UK edition, regions: [UK, EU] }
  us: { title: US edition, regions: [US, CA, AU, NZ, INTL] }
fronts:
  uk:
    - { title: ${lead}, articles: [news/harbour] }
  us:
    - { title: Across the ocean, articles: [world/americas/gift] }
`;
    let file = await desk.write('fronts.yaml', fronts('First lead'));
    expect((await desk.publish([file], { purge: purgeTargets(), settleMs: SETTLE_MS })).code).toBe(0);
    await within(2000, 'first fronts', async () => (await (await get('/', 'GB')).text()).includes('First lead'));
    for (const path of ['/', '/editions/uk']) await (await get(path, 'GB')).arrayBuffer();
    expect((await get('/editions/uk', 'GB')).headers.get('X-Varnish')?.split(' ')).toHaveLength(2);
    file = await desk.write('fronts.yaml', fronts('Second lead'));
    const { code, output } = await desk.publish([file], { purge: purgeTargets(), settleMs: SETTLE_MS });
    expect(code, output).toBe(0);
    expect(output).toMatch(/updated\s+config\/fronts/);
    for (const path of ['/', '/editions/uk']) {
      await within(2000, path, async () => (await (await get(path, 'GB')).text()).includes('Second lead'));
    }
    expect(await (await get('/', 'US')).text()).toContain('Across the ocean');
  });

  it('answers 404 within 2 s of an unpublish, and drops the article from the lists', async () => {
    for (const path of ['/articles/world/americas/gift', '/', '/feed.xml']) for (const c of ['GB', 'US']) await (await get(path, c)).arrayBuffer();
    const { code, output } = await desk.unpublish(['world/americas/gift'], { purge: purgeTargets(), settleMs: SETTLE_MS });
    expect(code, output).toBe(0);
    for (const country of Object.values(COUNTRY_OF)) {
      await within(2000, `404 for ${country}`, async () => (await get('/articles/world/americas/gift', country)).status === 404);
    }
    await within(2000, 'front page', async () => !(await (await get('/', 'GB')).text()).includes('A gift in the delta'));
    await within(2000, 'feed', async () => !(await (await get('/feed.xml')).text()).includes('A gift in the delta'));
  });
});

describe('one copy per region group', () => {
  it('fetches an article at most 7 times for readers from 60 countries, and never shows one group another\'s banner', async () => {
    const file = await desk.write('world/sixty.md', article('Read in sixty countries'));
    expect((await desk.publish([file], { purge: purgeTargets(), settleMs: SETTLE_MS })).code).toBe(0);
    const countries = [
      'US', 'GB', 'JE', 'GG', 'IM', 'GI', 'FK', 'DE', 'FR', 'IT', 'ES', 'NL', 'PL', 'SE', 'NO', 'CH', 'IE', 'PT', 'AT', 'BE', 'UA', 'TR',
      'AU', 'CA', 'NZ', 'JP', 'IN', 'BR', 'MX', 'AR', 'ZA', 'NG', 'KE', 'EG', 'SA', 'AE', 'IL', 'PK', 'BD', 'ID', 'PH', 'VN', 'TH', 'MY',
      'SG', 'KR', 'CN', 'TW', 'HK', 'RU', 'CL', 'CO', 'PE', 'VE', 'GH', 'MA', 'DZ', 'XX', 'T1', 'gb',
    ];
    expect(new Set(countries).size).toBe(60);
    const before = await varnish.stat('MAIN.backend_req');
    let leaks = 0;
    for (const country of countries) {
      const html = await (await get('/articles/world/sixty', country)).text();
      if (banner(html) !== groupForCountry(parseCountry(country))) leaks++;
    }
    const fetches = (await varnish.stat('MAIN.backend_req')) - before;
    console.log(`60 countries, README VCL: ${fetches} backend fetches, ${leaks} leaks`);
    expect(leaks).toBe(0);
    expect(fetches).toBeLessThanOrEqual(7);
    expect(fetches).toBeGreaterThanOrEqual(1);
  });
});

describe('when a purge fails', () => {
  it('still publishes, names the cache that failed, and npm run purge retries it', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const file = await desk.write('news/harbour.md', article('Harbour reopens, third edition', 'section: local\n'));
    const { code, output } = await desk.publish([file], { purge: { proxies: [varnish.url, closed] } });
    expect(code, output).toBe(0);
    expect(output).toContain(`FAILED  ${closed}: could not reach it`);
    expect(output).toMatch(/purged\s+http:\/\/127\.0\.0\.1:\d+: /);
    const retry = /npm run purge -- --local (.+)/.exec(output)?.[1];
    expect(retry).toBeDefined();
    expect(retry).toContain('article:news/harbour');
    await within(2000, 'published despite the failure', async () => (await (await get('/articles/news/harbour', 'GB')).text()).includes('third edition'));
    const lines: string[] = [];
    const again = await purge({ words: retry!.split(' '), everything: false, target: desk.target, runner: wrangler, log: (l) => lines.push(l), purge: purgeTargets() });
    expect(again, lines.join('\n')).toBe(0);
    expect(lines.join('\n')).toMatch(/purged\s+http/);
  });

  it('refuses a PURGE_URLS entry that is not a URL before uploading anything', async () => {
    const file = await desk.write('news/never.md', article('Never uploaded'));
    const { code, output } = await desk.publish([file], { purge: { proxies: ['varnish.internal:6081'] } });
    expect(code).toBe(1);
    expect(output).toContain('is not an http(s) URL');
    expect(output).toContain('nothing was uploaded');
    expect((await desk.indexed()).has('news/never')).toBe(false);
  });
});

describe('the worker\'s purge route, through the real CLI', () => {
  it('is reached with the shared secret, and refuses another', async () => {
    const lines: string[] = [];
    const ok = await purge({
      words: ['news/harbour', 'index'], everything: false, target: desk.target, runner: wrangler, log: (l) => lines.push(l),
      purge: { worker: worker.url, secret: TEST_PURGE_SECRET, proxies: [] },
    });
    expect(ok, lines.join('\n')).toBe(0);
    expect(lines.join('\n')).toContain('the worker runs without Workers Cache; nothing to purge');
    // A slug expands to its pages and the lists the index has it on.
    expect(lines.join('\n')).toMatch(/Purging \d+ tag/);
    const refused: string[] = [];
    const bad = await purge({
      words: ['index'], everything: false, target: desk.target, runner: wrangler, log: (l) => refused.push(l),
      purge: { worker: worker.url, secret: 'not-the-secret', proxies: [] },
    });
    expect(bad).toBe(1);
    expect(refused.join('\n')).toContain('401: the signature does not match');
  });

  it('says what it needs when given nothing to purge or nowhere to purge it', async () => {
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    expect(await purge({ words: [], everything: false, target: desk.target, runner: wrangler, log, purge: purgeTargets() })).toBe(2);
    expect(await purge({ words: ['a b'], everything: false, target: desk.target, runner: wrangler, log, purge: purgeTargets() })).toBe(2);
    expect(await purge({ words: ['index'], everything: false, target: desk.target, runner: wrangler, log, purge: { proxies: [] } })).toBe(2);
    expect(lines.join('\n')).toMatch(/name tags or slugs[^]*is not a tag[^]*no cache to purge/);
  });
});
