/**
 * The support banner as a programme, through the worker in workerd with
 * local KV and D1: targeting rules in their order, a copy test that starts
 * and ends by the clock, readers enrolled by the impression beacon and kept
 * in their arm, pages cached apart per arm and never shared downstream, and
 * impressions, clicks and dismissals counted (in D1's banner_counts, the
 * local store). The clock is Vitest's, injected.
 */
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../../../src/index.ts';
import type { CacheProps } from '../../../src/edge/partition.ts';
import { BANNERS_KEY } from '../../../src/storage/kv-format.ts';
import { ORIGIN, articleFile, fetchApp, seedArticle } from '../support/helpers.ts';

const START = Date.parse('2030-01-01T10:00:00Z');
const END = Date.parse('2030-01-01T12:00:00Z');
const DURING = START + 30 * 60_000;

const BANNERS = `UK:
  heading: Keep the news free in the UK
  paragraphs: [Readers pay for this.]
  primary: {label: Give, url: https://give.example/uk}
  secondary: {label: About us, url: /about}
rules:
  - name: no-obituaries
    match: {section: obituaries}
    hide: true
  - name: climate
    match: {tag: climate}
    copy:
      heading: Climate reporting needs you
      primary: {label: Fund the climate desk, url: https://give.example/climate}
  - name: quiet-us-politics
    match: {section: politics, groups: [US]}
    hide: true
tests:
  - name: spring
    start: 2030-01-01T10:00:00Z
    end: 2030-01-01T12:00:00Z
    groups: [UK, EU]
    control: {share: 60}
    variants:
      - name: bold
        share: 40
        copy:
          heading: Bold words for bold reporting
          primary: {label: Give boldly, url: https://give.example/bold?from=banner}
`;

const at = (time: number) => vi.setSystemTime(time);
const heading = (html: string) => /<h2 id="support-heading">([^<]*)<\/h2>/.exec(html)?.[1] ?? null;
const variantOf = (html: string) => /<aside class="support" data-region="[A-Z]+" data-test="([^"]+)" data-variant="([^"]+)"/.exec(html)?.slice(1).join('/') ?? null;

function read(path: string, country: string, cookie?: string): Promise<Response> {
  return fetchApp(path, { headers: { 'CF-IPCountry': country, ...(cookie && { Cookie: cookie }) } });
}

async function count(kind: string, test: string, variant: string, group: string): Promise<number> {
  const row = await env.INDEX.prepare('SELECT COALESCE(SUM(count), 0) AS n FROM banner_counts WHERE kind = ?1 AND test = ?2 AND variant = ?3 AND grp = ?4')
    .bind(kind, test, variant, group).first<number>('n');
  return row ?? 0;
}

/** Waits for the counts written after a response (waitUntil) to reach `expected`. */
async function countReaches(expected: number, ...key: [string, string, string, string]): Promise<void> {
  for (let i = 0; i < 100 && (await count(...key)) < expected; i++) await new Promise((r) => setTimeout(r, 20));
  expect(await count(...key)).toBe(expected);
}

beforeAll(async () => {
  await env.ARTICLES.put(BANNERS_KEY, BANNERS);
  await seedArticle('world/story', articleFile('title: A story\ndate: 2026-11-01T10:00:00Z\nsection: world'));
  await seedArticle('world/second', articleFile('title: Another story\ndate: 2026-11-02T10:00:00Z\nsection: world'));
  await seedArticle('obituaries/a-life', articleFile('title: A life\ndate: 2026-11-01T10:00:00Z\nsection: obituaries\ntags: [climate]'));
  await seedArticle('science/heat', articleFile('title: Heat\ndate: 2026-11-01T10:00:00Z\nsection: science\ntags: [climate, weather]'));
  await seedArticle('politics/vote', articleFile('title: A vote\ndate: 2026-11-01T10:00:00Z\nsection: politics'));
  await seedArticle('world/grief', articleFile('title: A hard story\ndate: 2026-11-01T10:00:00Z\nsection: world\ntags: [climate]\nsupport: false'));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('targeting', () => {
  it('applies support: false first, then the first rule that matches, then the group copy', async () => {
    const uk = async (path: string) => (await read(path, 'GB')).text();
    // support: false wins over the climate rule that would otherwise change the copy.
    expect(await uk('/articles/world/grief')).not.toContain('class="support"');
    // An obituary about the climate: the rule that hides (listed first) wins over the climate copy.
    expect(await uk('/articles/obituaries/a-life')).not.toContain('class="support"');
    const climate = await uk('/articles/science/heat');
    expect(heading(climate)).toBe('Climate reporting needs you');
    expect(variantOf(climate)).toBe('-/rule.climate');
    expect(climate).toContain('href="/go/UK/-/rule.climate/primary"');
    expect(heading(await uk('/articles/world/story'))).toBe('Keep the news free in the UK');
  });

  it('limits a rule to the groups it names', async () => {
    expect(await (await read('/articles/politics/vote', 'US')).text()).not.toContain('class="support"');
    expect(variantOf(await (await read('/articles/politics/vote', 'GB')).text())).toBe('-/default');
  });

  it('keeps a hidden banner page cacheable, with no beacon and no counted link', async () => {
    const res = await read('/articles/world/grief', 'GB');
    expect(res.headers.get('Cache-Control')).toMatch(/^public, max-age=\d+/);
    const html = await res.text();
    expect(html).not.toContain('/_banner/');
    expect(html).not.toContain('/go/');
  });
});

describe('a copy test', () => {
  it('starts and ends at its times, with no cache keeping a page past either', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(START - 10_000);
    const before = await read('/articles/world/story', 'GB', 'bs_test=spring.bold');
    expect(variantOf(await before.text())).toBe('-/default');
    // The page may be kept until the test starts, and no longer.
    expect(before.headers.get('Cache-Control')).toMatch(/^public, max-age=10, stale-while-revalidate=0/);
    const beaconBefore = await fetchApp('/_banner/UK/-/default/seen', { headers: { 'CF-IPCountry': 'GB' } });
    expect(beaconBefore.headers.get('Set-Cookie')).toBeNull();

    at(END - 5_000);
    const during = await read('/articles/world/story', 'GB', 'bs_test=spring.bold');
    expect(variantOf(await during.text())).toBe('spring/bold');
    expect(during.headers.get('Cache-Control')).toMatch(/^private, max-age=5, stale-while-revalidate=0/);

    at(END);
    const after = await read('/articles/world/story', 'GB', 'bs_test=spring.bold');
    expect(variantOf(await after.text())).toBe('-/default');
    expect(after.headers.get('Cache-Control')).toMatch(/^public, /);
  });

  it('enrols a reader when the banner is seen, with a cookie that lasts as long as the test, set by the beacon alone', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(DURING);
    const page = await read('/articles/world/story', 'GB');
    expect(page.headers.get('Set-Cookie')).toBeNull();
    expect(variantOf(await page.text())).toBe('-/default');
    const beacon = await fetchApp('/_banner/UK/-/default/seen', { headers: { 'CF-IPCountry': 'GB' } });
    expect(beacon.status).toBe(200);
    expect(beacon.headers.get('Content-Type')).toBe('image/gif');
    expect(beacon.headers.get('Cache-Control')).toBe('no-store');
    const cookie = beacon.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(new RegExp(`^bs_test=spring\\.(control|bold); Max-Age=${(END - DURING) / 1000}; Path=/; HttpOnly; Secure; SameSite=Lax$`));
    // Nothing else about the reader: the value is the test and the arm.
    const value = /^bs_test=([^;]+)/.exec(cookie)![1]!;
    // The same arm on every page, and no new cookie while it is valid.
    for (const path of ['/articles/world/story', '/articles/world/second']) {
      expect(variantOf(await (await read(path, 'GB', `bs_test=${value}`)).text())).toBe(value.replace('.', '/'));
    }
    const again = await fetchApp(`/_banner/UK/${value.replace('.', '/')}/seen`, { headers: { 'CF-IPCountry': 'GB', Cookie: `bs_test=${value}` } });
    expect(again.headers.get('Set-Cookie')).toBeNull();
  });

  it('splits new readers close to the declared shares', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(DURING);
    const arms = { control: 0, bold: 0 };
    const readers = 2000;
    for (let i = 0; i < readers; i++) {
      const res = await fetchApp('/_banner/EU/-/default/seen', { headers: { 'CF-IPCountry': 'DE' } });
      const arm = /^bs_test=spring\.(control|bold);/.exec(res.headers.get('Set-Cookie') ?? '')![1] as 'control' | 'bold';
      arms[arm]++;
    }
    // 60/40: with 2,000 readers the share's standard error is 1.1 points; allow four.
    expect(arms.control / readers).toBeGreaterThan(0.56);
    expect(arms.control / readers).toBeLessThan(0.64);
  }, 60_000);

  it('ignores a forged, stale or foreign arm: the reader sees the group copy, in the shared copy', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(DURING);
    for (const cookie of ['bs_test=spring.nope', 'bs_test=winter.bold', 'bs_test=spring.bold.x', 'bs_test=%3Cb%3E', `bs_test=${'x'.repeat(200)}`]) {
      const res = await read('/articles/world/story', 'GB', cookie);
      expect(variantOf(await res.text()), cookie).toBe('-/default');
      expect(res.headers.get('Cache-Control'), cookie).toMatch(/^public, /);
    }
    // The test does not run in the US: a US reader with a UK arm sees the US copy.
    const us = await read('/articles/world/story', 'US', 'bs_test=spring.bold');
    expect(variantOf(await us.text())).toBe('-/default');
    expect(heading(await (await read('/articles/world/story', 'US', 'bs_test=spring.bold')).text())).toContain('no paywall');
  });

  it('keeps arms and groups apart: no page shows another arm\'s or another group\'s banner, none varies on Cookie or sets one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(DURING);
    const seen = new Map<string, string>();
    for (const [country, cookie, expected] of [
      ['GB', 'bs_test=spring.bold', 'UK spring/bold Bold words for bold reporting'],
      ['GB', 'bs_test=spring.control', 'UK spring/control Keep the news free in the UK'],
      ['GB', '', 'UK -/default Keep the news free in the UK'],
      ['DE', 'bs_test=spring.bold', 'EU spring/bold Bold words for bold reporting'],
      ['DE', '', 'EU -/default This page has no paywall. Readers like you are the reason.'],
      ['GB', 'bs_test=spring.bold', 'UK spring/bold Bold words for bold reporting'],
    ] as const) {
      const res = await read('/articles/world/story', country, cookie || undefined);
      const html = await res.text();
      const region = /data-region="([A-Z]+)"/.exec(html)![1];
      expect(`${region} ${variantOf(html)} ${heading(html)}`).toBe(expected);
      expect(res.headers.get('Set-Cookie')).toBeNull();
      expect(res.headers.get('Vary') ?? '').not.toMatch(/cookie/i);
      // An arm's page is for its reader alone once it leaves the worker.
      expect(res.headers.get('Cache-Control')!.startsWith(cookie ? 'private' : 'public'), expected).toBe(true);
      if (cookie) expect(res.headers.get('CDN-Cache-Control')).toBeNull();
      const etag = res.headers.get('ETag')!;
      if (seen.has(etag)) expect(seen.get(etag)).toBe(expected);
      seen.set(etag, expected);
    }
    expect(new Set(seen.values()).size).toBe(5);
  });
});

describe('measurement', () => {
  it('names the beacon in a stylesheet of its own, for the banner the page shows', async () => {
    const html = await (await read('/articles/science/heat', 'GB')).text();
    expect(html).toContain('<link rel="stylesheet" href="/_banner/UK/-/rule.climate/seen.css">');
    expect(html).toContain('<span class="support-seen" aria-hidden="true"><span></span></span>');
    const css = await fetchApp('/_banner/UK/-/rule.climate/seen.css');
    expect(css.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('Cache-Control')).toContain('immutable');
    expect(await css.text()).toBe('.support-seen>span{background-image:url("/_banner/UK/-/rule.climate/seen")}\n');
  });

  it('counts impressions, clicks and dismissals per test, variant and group, as aggregates', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(DURING);
    const base = await count('impression', 'spring', 'bold', 'UK');
    for (let i = 0; i < 3; i++) await fetchApp('/_banner/UK/spring/bold/seen', { headers: { Cookie: 'bs_test=spring.bold' } });
    await countReaches(base + 3, 'impression', 'spring', 'bold', 'UK');
    const clicks = await count('click', 'spring', 'bold', 'UK');
    const click = await fetchApp('/go/UK/spring/bold/primary');
    expect(click.status).toBe(302);
    expect(click.headers.get('Cache-Control')).toBe('no-store');
    const location = new URL(click.headers.get('Location')!);
    expect(`${location.origin}${location.pathname}`).toBe('https://give.example/bold');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      from: 'banner', utm_source: 'broadsheet', utm_medium: 'banner', utm_campaign: 'spring', utm_content: 'bold', utm_term: 'uk',
    });
    await countReaches(clicks + 1, 'click', 'spring', 'bold', 'UK');
    const dismissals = await count('dismiss', 'spring', 'bold', 'UK');
    const dismiss = await fetchApp('/_banner/UK/spring/bold/dismissed');
    expect(dismiss.status).toBe(204);
    await countReaches(dismissals + 1, 'dismiss', 'spring', 'bold', 'UK');
    const columns = (await env.INDEX.prepare('PRAGMA table_info(banner_counts)').all<{ name: string }>()).results.map((column: { name: string }) => column.name);
    expect(columns).toEqual(['day', 'test', 'variant', 'grp', 'kind', 'link', 'count']);
  });

  it('sends a relative destination on relative, and outside any test campaigns it as always-on', async () => {
    const res = await fetchApp('/go/UK/-/default/secondary');
    expect(res.headers.get('Location')).toBe('/about?utm_source=broadsheet&utm_medium=banner&utm_campaign=always-on&utm_content=default&utm_term=uk');
  });

  it('redirects nowhere for a tampered destination, an unknown test, arm, rule or link', async () => {
    for (const [path, status] of [
      ['/go/UK/-/default/primary?to=https://evil.example', 400],
      ['/go/UK/-/default/primary?url=//evil.example', 400],
      ['/go/UK/nope/bold/primary', 404],
      ['/go/UK/spring/nope/primary', 404],
      ['/go/US/spring/bold/primary', 404],
      ['/go/UK/-/rule.nope/primary', 404],
      ['/go/UK/-/rule.no-obituaries/primary', 404],
      ['/go/UK/-/default/tertiary', 404],
      ['/go/UK/-/default/https:%2F%2Fevil.example', 404],
      ['/go/MARS/-/default/primary', 404],
    ] as const) {
      const res = await fetchApp(path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('Location'), path).toBeNull();
      expect(res.headers.get('Cache-Control'), path).toBe('no-store');
    }
    // A destination tacked on as more path is no banner link at all: the site's 404.
    const longer = await fetchApp('/go/UK/-/default/primary/https://evil.example');
    expect(longer.status).toBe(404);
    expect(longer.headers.get('Location')).toBeNull();
  });

  it('counts nothing for a beacon the banners file cannot explain', async () => {
    const before = await count('impression', 'nope', 'bold', 'UK');
    const res = await fetchApp('/_banner/UK/nope/bold/seen');
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(await count('impression', 'nope', 'bold', 'UK')).toBe(before);
    expect((await fetchApp('/_banner/UK/-/control/seen')).status).toBe(404);
    expect((await fetchApp('/_banner/MARS/-/default/seen')).status).toBe(404);
  });
});

describe('behind a cache that keys the arm itself (BANNER_TEST_ASSIGNMENT = "header")', () => {
  it('takes the arm from Broadsheet-Arm, varies on it, and ignores the cookie', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(DURING);
    const bindings = { BANNER_TEST_ASSIGNMENT: 'header' };
    const viaHeader = await fetchApp('/articles/world/story', { headers: { 'CF-IPCountry': 'GB', 'Broadsheet-Arm': 'spring.bold' }, bindings });
    expect(variantOf(await viaHeader.text())).toBe('spring/bold');
    expect(viaHeader.headers.get('Vary')!.split(', ').sort()).toEqual(['Broadsheet-Arm', 'CF-IPCountry']);
    // Public: the cache in front keeps it apart by the header.
    expect(viaHeader.headers.get('Cache-Control')).toMatch(/^public, /);
    const viaCookie = await fetchApp('/articles/world/story', { headers: { 'CF-IPCountry': 'GB', Cookie: 'bs_test=spring.bold' }, bindings });
    expect(variantOf(await viaCookie.text())).toBe('-/default');
  });
});

describe('the gateway', () => {
  /** The gateway over other settings, with the real cached entry point seen through a recorder of the props it is called with. */
  function throughGateway(path: string, headers: Record<string, string>, vars: Record<string, string> = {}) {
    const base = createExecutionContext();
    const props: CacheProps[] = [];
    const real = (base as unknown as { exports: { Pages: (o: { props: CacheProps }) => { fetch(r: Request): Promise<Response> } } }).exports.Pages;
    const ctx = Object.assign(Object.create(base), {
      exports: { Pages: (o: { props: CacheProps }) => ({ fetch: (r: Request) => (props.push(o.props), real(o).fetch(r)) }) },
    }) as ExecutionContext;
    return { response: worker.fetch(new Request(ORIGIN + path, { headers }), { ...env, ...vars }, ctx), props };
  }

  it('puts a valid arm into the cache key, from the cookie, or in header mode from the header (never the other)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(DURING);
    const cases: [Record<string, string>, Record<string, string>, CacheProps][] = [
      [{ Cookie: 'bs_test=spring.bold' }, {}, { group: 'UK', arm: 'spring.bold' }],
      [{ Cookie: 'bs_test=spring.nope' }, {}, { group: 'UK' }],
      [{ 'Broadsheet-Arm': 'spring.bold' }, {}, { group: 'UK' }],
      [{ 'Broadsheet-Arm': 'spring.bold' }, { BANNER_TEST_ASSIGNMENT: 'header' }, { group: 'UK', arm: 'spring.bold' }],
      [{ Cookie: 'bs_test=spring.bold' }, { BANNER_TEST_ASSIGNMENT: 'header' }, { group: 'UK' }],
    ];
    for (const [headers, vars, expected] of cases) {
      const { response, props } = throughGateway('/articles/world/story', { 'CF-IPCountry': 'GB', ...headers }, vars);
      const res = await response;
      await res.arrayBuffer();
      expect(props, JSON.stringify([headers, vars])).toEqual([expected]);
    }
    // Only article pages carry a test: the front page and lists never get an arm.
    const front = throughGateway('/', { 'CF-IPCountry': 'GB', Cookie: 'bs_test=spring.bold' });
    await (await front.response).arrayBuffer();
    expect(front.props).toEqual([{ group: 'UK' }]);
  });
});
