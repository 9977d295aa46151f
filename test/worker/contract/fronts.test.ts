// The front page: each reader's edition at /, each edition at its own URL for
// everyone, curated containers filled from the index in one batch, each
// article once, drafts and scheduled articles never, and the newest-first
// list at /latest. Through the real worker, with local KV and D1.
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { contentHash, FRONTS_KEY } from '../../../src/storage/kv-format.ts';
import { configFileStatement } from '../../../src/storage/index-sql.ts';
import { indexDb } from '../../../src/storage/index-db.ts';
import { articleFile, fetchApp, nextRevision, seedArticle, storageCalls } from '../support/helpers.ts';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const LATER = NOW + 30_000;

const FRONTS = `editions:
  uk: { title: UK edition, regions: [UK, EU] }
  us: { title: US edition, regions: [US, CA] }
  intl: { title: International edition, regions: [INTL, AU, NZ] }
fronts:
  uk:
    - title: Top stories
      articles: [local/ferry, science/crabs, local/draft, local/dawn, local/missing]
    - title: Local
      section: local
      count: 3
    - title: Science
      section: science
      count: 2
    - title: On the coast
      topic: Coast
      count: 4
    - title: Ruth
      author: Ruth Okafor
      count: 2
    - title: World
      articles: [world/gardens]
      section: world
      count: 3
  us:
    - title: Top stories
      articles: [world/gardens]
      section: world
      count: 2
`;

/** Publishes a fronts file as the publish command does: KV with its hash and revision, then its record in the index. */
async function publishFronts(source: string): Promise<void> {
  const revision = await nextRevision();
  const hash = await contentHash(source);
  await env.ARTICLES.put(FRONTS_KEY, source, { metadata: { v: 1, hash, rev: revision } });
  await indexDb(env.INDEX, 5000).write([configFileStatement(FRONTS_KEY, hash, revision)]);
}

const from = (country: string) => ({ headers: { 'CF-IPCountry': country } });

/** The article links of a front, in page order, with the container each is under. */
function layout(html: string): string[] {
  return [...html.matchAll(/<h2 class="container-title" id="[^"]+">(?:<a href="[^"]+">)?([^<]+)|<h[23] id="[^"]+"><a href="\/articles\/([^"]+)"/g)]
    .map((m) => (m[1] ? `# ${m[1]}` : m[2]!));
}

beforeAll(async () => {
  const coast = 'tags: [Coast]\nauthors: [Ruth Okafor]';
  await seedArticle('local/ferry', articleFile(`title: Ferry returns\ndate: 2026-11-27T08:00:00Z\nsection: local\n${coast}`));
  await seedArticle('local/market', articleFile('title: Market moves\ndate: 2026-11-27T09:00:00Z\nsection: local'));
  await seedArticle('local/bridge', articleFile('title: Bridge closes\ndate: 2026-11-26T09:00:00Z\nsection: local'));
  await seedArticle('local/allotments', articleFile(`title: Allotments wait\ndate: 2026-11-25T09:00:00Z\nsection: local\n${coast}`));
  await seedArticle('local/draft', articleFile('title: Draft story\ndate: 2026-11-27T10:00:00Z\nsection: local\ndraft: true'));
  await seedArticle('local/dawn', articleFile(`title: Dawn story\ndate: ${new Date(LATER).toISOString()}\nsection: local`));
  await seedArticle('science/crabs', articleFile(`title: Crab census\ndate: 2026-11-24T09:00:00Z\nsection: science\n${coast}`));
  await seedArticle('science/hedgehogs', articleFile('title: Hedgehogs stay\ndate: 2026-11-23T09:00:00Z\nsection: science'));
  await seedArticle('science/cables', articleFile(`title: Cables listen\ndate: 2026-11-22T09:00:00Z\nsection: science\n${coast}`));
  await seedArticle('world/gardens', articleFile('title: Floating gardens\ndate: 2026-11-21T09:00:00Z\nsection: world'));
  await seedArticle('world/trains', articleFile('title: Night trains\ndate: 2026-11-27T07:00:00Z\nsection: world'));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('without a fronts file', () => {
  it('shows the newest-first list at /, as before fronts, and names no edition', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const html = await (await fetchApp('/', from('GB'))).text();
    expect(layout(html).slice(0, 3)).toEqual(['local/market', 'local/ferry', 'world/trains']);
    expect(html).not.toContain('editions-nav');
    expect(html).not.toContain('hreflang');
    expect((await fetchApp('/editions/uk')).status).toBe(404);
  });
});

describe('with a fronts file', () => {
  beforeAll(async () => {
    await publishFronts(FRONTS);
  });

  it('fills the UK front in order: curated first, each article once, no draft, scheduled or missing one, empty containers left out', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const res = await fetchApp('/', from('GB'));
    expect(res.status).toBe(200);
    expect(layout(await res.text())).toEqual([
      '# Top stories', 'local/ferry', 'science/crabs',
      '# Local', 'local/market', 'local/bridge', 'local/allotments',
      '# Science', 'science/hedgehogs', 'science/cables',
      // The coast topic and Ruth's articles are all shown above: neither container has anything left, so neither shows.
      '# World', 'world/gardens', 'world/trains',
    ]);
  });

  it('gives each reader the edition of their region group, and names it in the masthead with links to the others', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const us = await (await fetchApp('/', from('US'))).text();
    expect(layout(us)).toEqual(['# Top stories', 'world/gardens', 'world/trains']);
    expect(us).toContain('<p class="edition-current">US edition</p><ul><li><a href="/editions/uk">UK edition</a></li><li><a href="/editions/intl">International edition</a></li></ul>');
    const de = await (await fetchApp('/', from('DE'))).text();
    expect(de).toContain('<p class="edition-current">UK edition</p>');
    // The International edition has no containers: its front is the newest-first list, under its own name.
    const nz = await (await fetchApp('/', from('NZ'))).text();
    expect(nz).toContain('<p class="edition-current">International edition</p>');
    expect(layout(nz).slice(0, 2)).toEqual(['local/market', 'local/ferry']);
  });

  it('varies / by region, and serves /editions/<id> the same to everyone, with its own canonical and the shared alternates', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const root = await fetchApp('/', from('US'));
    expect(root.headers.get('Vary')).toBe('CF-IPCountry');
    const html = await root.text();
    expect(html).toContain('<link rel="canonical" href="https://news.test/">');
    const own = await Promise.all(['GB', 'US', 'JP'].map((country) => fetchApp('/editions/us', from(country))));
    const bodies = await Promise.all(own.map((r) => r.text()));
    for (const r of own) expect(r.headers.get('Vary')).toBeNull();
    expect(new Set(bodies).size).toBe(1);
    expect(new Set(own.map((r) => r.headers.get('ETag'))).size).toBe(1);
    expect(bodies[0]).toContain('<link rel="canonical" href="https://news.test/editions/us">');
    expect(layout(bodies[0]!)).toEqual(layout(html));
    for (const page of [html, bodies[0]!]) {
      expect(page).toContain('<link rel="alternate" hreflang="en-GB" href="https://news.test/editions/uk">');
      expect(page).toContain('<link rel="alternate" hreflang="en-US" href="https://news.test/editions/us">');
      expect(page).toContain('<link rel="alternate" hreflang="en-CA" href="https://news.test/editions/us">');
      expect(page).toContain('<link rel="alternate" hreflang="x-default" href="https://news.test/">');
    }
    expect((await fetchApp('/editions/mars')).status).toBe(404);
    expect((await fetchApp('/editions/Not%20One')).status).toBe(404);
  });

  it('gives each edition its own ETag, answers 304 for it, and tags every front for purging', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const uk = await fetchApp('/', from('GB'));
    const us = await fetchApp('/', from('US'));
    const ukOwn = await fetchApp('/editions/uk');
    const tags = new Set([uk, us, ukOwn].map((r) => r.headers.get('ETag')));
    expect(tags.size).toBe(3);
    for (const r of [uk, us, ukOwn]) expect(r.headers.get('Cache-Tag')).toBe('index,front,fronts');
    const again = await fetchApp('/', { headers: { 'CF-IPCountry': 'GB', 'If-None-Match': uk.headers.get('ETag')! } });
    expect(again.status).toBe(304);
    const other = await fetchApp('/', { headers: { 'CF-IPCountry': 'US', 'If-None-Match': uk.headers.get('ETag')! } });
    expect(other.status).toBe(200);
  });

  it('reads D1 in at most two round trips, whatever the number of containers, and lists nothing from KV', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const res = await fetchApp('/editions/uk');
    expect(storageCalls(res, 'd1')).toBeLessThanOrEqual(2);
    expect(storageCalls(res, 'kv')).toBeLessThanOrEqual(1);
  });

  it('shows a scheduled article at its time with no further action, and no lifetime reaches past that time', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const before = await fetchApp('/editions/uk');
    expect(layout(await before.text())).not.toContain('local/dawn');
    expect(Number(/max-age=(\d+)/.exec(before.headers.get('CDN-Cache-Control')!)![1])).toBeLessThanOrEqual(30);
    vi.setSystemTime(LATER);
    const at = await fetchApp('/editions/uk', { headers: { 'If-None-Match': before.headers.get('ETag')! } });
    expect(at.status).toBe(200);
    expect(layout(await at.text()).slice(0, 4)).toEqual(['# Top stories', 'local/ferry', 'science/crabs', 'local/dawn']);
  });

  it('moves the newest-first list to /latest, with its pages, and redirects the old page URLs there', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const latest = await fetchApp('/latest');
    expect(latest.status).toBe(200);
    const html = await latest.text();
    expect(layout(html).slice(0, 2)).toEqual(['local/market', 'local/ferry']);
    expect(html).toContain('<link rel="canonical" href="https://news.test/latest">');
    const moved = await fetchApp('/?page=2');
    expect(moved.status).toBe(301);
    expect(moved.headers.get('Location')).toBe('/latest?page=2');
    expect(moved.headers.get('Cache-Tag')).toBe('index,front,fronts');
    expect(moved.headers.get('Cache-Control')).toMatch(/^public, max-age=\d+/);
    expect((await fetchApp('/?page=abc')).status).toBe(404);
    expect(await (await fetchApp('/editions/uk')).text()).toContain('<a href="/latest">All the latest news</a>');
  });

  it('serves, but lets no cache keep, a front made from a fronts file older than the one the index records', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const newer = FRONTS.replace('title: World', 'title: Around the world');
    const revision = await nextRevision();
    // The index records the newer file; this location's KV still gives the older one.
    await indexDb(env.INDEX, 5000).write([configFileStatement(FRONTS_KEY, await contentHash(newer), revision)]);
    const behind = await fetchApp('/editions/uk');
    expect(behind.status).toBe(200);
    expect(behind.headers.get('Cache-Control')).toBe('no-store');
    await publishFronts(newer);
    const current = await fetchApp('/editions/uk');
    expect(current.headers.get('Cache-Control')).toMatch(/^public/);
    expect(await current.text()).toContain('Around the world');
  });

  it('falls back to the newest-first list when the stored file is invalid, and never fails the page', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    await env.ARTICLES.put(FRONTS_KEY, 'editions: [');
    const res = await fetchApp('/', from('GB'));
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain('editions-nav');
    expect(error.mock.calls.some((args) => String(args[0]).includes('"fronts.invalid"'))).toBe(true);
    error.mockRestore();
    await publishFronts(FRONTS);
  });
});
