/**
 * The cache report (`npm run bench -- --cache`, part of the full bench): a
 * Zipf-distributed workload over 1,000 articles from readers in 60
 * countries, weighted like an English-language news site's traffic, through
 * a real Varnish in front of the bundled worker in workerd, twice:
 *
 * - keyed per country: the stock VCL, which follows `Vary: CF-IPCountry`;
 * - keyed per region group: the README's VCL (`npm run vcl`), which rewrites
 *   the country to its group's code first.
 *
 * It reports the hit ratio and backend fetches per 10,000 requests of each,
 * and the time from a publish to the change being visible in every region,
 * with a purge (`PURGE_URLS`) and without one (waiting out the lifetime).
 */
import { sendPurges } from '../src/cli/purger.ts';
import { groupForCountry, parseCountry } from '../src/content/region-groups.ts';
import { published } from '../support/published.ts';
import { indexRows, seedGenerated } from '../support/seed.ts';
import { readmeVcl, startVarnish, type Varnish } from '../support/varnish.ts';
import { ROOT, startWorker, type WorkerServer } from '../support/worker-server.ts';

/**
 * Readers by country, in percent: a mix like a UK- and US-based English-language
 * news site's (about a third from the US, a fifth from the UK, then the rest
 * of the English-speaking world, Europe, and a long tail), 60 countries in all.
 */
export const TRAFFIC: Record<string, number> = {
  US: 33, GB: 20, CA: 4.5, AU: 4.5, IN: 3.5, DE: 2.5, IE: 1.6, NZ: 1.4, FR: 1.4, NL: 1.2, ES: 1.1, IT: 1.1, PH: 1.0, SG: 1.0,
  ZA: 0.9, SE: 0.8, BR: 0.8, MX: 0.8, NG: 0.8, PK: 0.7, JP: 0.7, BE: 0.6, CH: 0.6, NO: 0.6, DK: 0.6, PL: 0.6, AE: 0.6, MY: 0.5,
  HK: 0.5, KE: 0.5, IL: 0.5, PT: 0.5, AT: 0.5, FI: 0.4, GR: 0.4, RO: 0.4, TR: 0.4, CZ: 0.3, HU: 0.3, AR: 0.3, CO: 0.3, CL: 0.3,
  ID: 0.3, TH: 0.3, VN: 0.3, KR: 0.3, TW: 0.3, SA: 0.3, EG: 0.3, BD: 0.2, GH: 0.2, UA: 0.2, JE: 0.1, IM: 0.1, GG: 0.1, GI: 0.05,
  MT: 0.1, LU: 0.1, IS: 0.05, XX: 0.5,
};

export interface CacheReport {
  articles: number;
  requests: number;
  countries: number;
  zipf: number;
  keys: Record<'per country' | 'per group', { hit_ratio: number; backend_fetches_per_10k: number; objects_per_article_max: number }>;
  publish_to_visible_ms: { with_purge: number; without_purge: number; lifetime_s: number };
}

/** A deterministic generator, so both caches see the same requests. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Picks from weights by their cumulative sum. */
function picker<T>(items: T[], weights: number[], next: () => number): () => T {
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w / total));
  return () => {
    const r = next();
    let lo = 0, hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]!;
  };
}

/** Sends every request with `concurrency` in flight; counts hits (two ids in X-Varnish) and banner leaks. */
async function replay(varnish: Varnish, requests: { path: string; country: string }[], concurrency = 24): Promise<{ hits: number; leaks: number }> {
  let next = 0, hits = 0, leaks = 0;
  const worker = async () => {
    while (next < requests.length) {
      const { path, country } = requests[next++]!;
      const res = await fetch(varnish.url + path, { headers: { 'CF-IPCountry': country } });
      const html = await res.text();
      if ((res.headers.get('X-Varnish') ?? '').split(' ').length === 2) hits++;
      if (/data-region="([A-Z]+)"/.exec(html)?.[1] !== groupForCountry(parseCountry(country))) leaks++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { hits, leaks };
}

/** Milliseconds until `path` shows `text` to a reader from every country in `countries`. */
async function timeToVisible(varnish: Varnish, path: string, text: string, countries: string[], limitMs: number): Promise<number> {
  const start = Date.now();
  const pending = new Set(countries);
  while (pending.size) {
    for (const country of [...pending]) {
      const html = await (await fetch(varnish.url + path, { headers: { 'CF-IPCountry': country } })).text();
      if (html.includes(text)) pending.delete(country);
    }
    if (Date.now() - start > limitMs) throw new Error(`${path} not visible to ${[...pending].join(', ')} within ${limitMs} ms`);
    if (pending.size) await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - start;
}

async function republish(worker: WorkerServer, slug: string, title: string): Promise<void> {
  const story = await published(slug, `---\ntitle: ${title}\ndate: 2026-10-01T08:00:00Z\nsection: generated\n---\n\nUpdated text.\n`);
  await worker.kv.put(slug, story.source, { metadata: story.metadata });
  await indexRows(worker, [story.row]);
}

export async function cacheReport({ articles = 1000, requests = 20_000, zipf = 1.0, lifetimeS = 20 } = {}): Promise<CacheReport> {
  const countries = Object.keys(TRAFFIC);
  // The production lifetimes for the hit ratios; a short one for waiting out without a purge.
  const worker = await startWorker({ vars: { REGION_HEADERS: 'CF-IPCountry' } });
  const short = await startWorker({ vars: { REGION_HEADERS: 'CF-IPCountry', CDN_MAX_AGE: String(lifetimeS), STALE_WHILE_REVALIDATE: '0' } });
  const varnishes: Varnish[] = [];
  try {
    const slugs = await seedGenerated(worker, articles, 3000);
    const next = random(20261202);
    const article = picker(slugs, slugs.map((_, i) => 1 / (i + 1) ** zipf), next);
    const country = picker(countries, countries.map((c) => TRAFFIC[c]!), next);
    const workload = Array.from({ length: requests }, () => ({ path: `/articles/${article()}`, country: country() }));

    const keys = {} as CacheReport['keys'];
    for (const [name, vcl] of [['per country', undefined], ['per group', await readmeVcl(ROOT)]] as const) {
      const varnish = await startVarnish(new URL(worker.url).host, vcl);
      varnishes.push(varnish);
      const before = await varnish.stat('MAIN.backend_req');
      const { hits, leaks } = await replay(varnish, workload);
      if (leaks) throw new Error(`${name}: ${leaks} responses showed another region's banner`);
      const fetches = (await varnish.stat('MAIN.backend_req')) - before;
      // The most-read article's copies: one backend fetch per distinct key it was stored under.
      const top = workload.filter((r) => r.path === `/articles/${slugs[0]}`);
      const distinct = new Set(top.map((r) => (name === 'per group' ? groupForCountry(parseCountry(r.country)) : r.country))).size;
      keys[name] = {
        hit_ratio: Math.round((hits / requests) * 1000) / 1000,
        backend_fetches_per_10k: Math.round((fetches / requests) * 10_000),
        objects_per_article_max: distinct,
      };
    }

    // Publish to visible, every region group, through the per-group cache.
    const perGroup = varnishes[1]!;
    const readers = ['US', 'GB', 'DE', 'AU', 'CA', 'NZ', 'JP'];
    const slug = slugs[0]!;
    for (const c of readers) await (await fetch(`${perGroup.url}/articles/${slug}`, { headers: { 'CF-IPCountry': c } })).arrayBuffer();
    await republish(worker, slug, 'Purged and visible');
    const started = Date.now();
    const results = await sendPurges({ tags: [`article:${slug}`] }, { proxies: [perGroup.url] });
    if (!results.every((r) => r.ok)) throw new Error(`purge failed: ${JSON.stringify(results)}`);
    await timeToVisible(perGroup, `/articles/${slug}`, 'Purged and visible', readers, 10_000);
    const withPurge = Date.now() - started;

    const waiting = await startVarnish(new URL(short.url).host, await readmeVcl(ROOT));
    varnishes.push(waiting);
    await seedGenerated(short, 1, 3000, 'waiting');
    for (const c of readers) await (await fetch(`${waiting.url}/articles/waiting/story-0`, { headers: { 'CF-IPCountry': c } })).arrayBuffer();
    const unpurged = Date.now();
    await republish(short, 'waiting/story-0', 'Visible without a purge');
    await timeToVisible(waiting, '/articles/waiting/story-0', 'Visible without a purge', readers, (lifetimeS + 30) * 1000);
    const withoutPurge = Date.now() - unpurged;

    return {
      articles, requests, countries: countries.length, zipf, keys,
      publish_to_visible_ms: { with_purge: withPurge, without_purge: withoutPurge, lifetime_s: lifetimeS },
    };
  } finally {
    for (const v of varnishes) await v.close();
    await worker.close();
    await short.close();
  }
}

export function formatCache(r: CacheReport): string {
  const row = (name: keyof CacheReport['keys']) => {
    const k = r.keys[name];
    return `| ${name} | ${(k.hit_ratio * 100).toFixed(1)}% | ${k.backend_fetches_per_10k} | ${k.objects_per_article_max} |`;
  };
  return [
    `Cache: ${r.requests.toLocaleString('en')} requests, Zipf(${r.zipf}) over ${r.articles.toLocaleString('en')} articles, readers from ${r.countries} countries, through Varnish.`,
    '',
    '| cache key | hit ratio | backend fetches per 10,000 | copies of the most-read article |',
    '|---|---:|---:|---:|',
    row('per country'),
    row('per group'),
    '',
    '| publish to visible in every region | ms |',
    '|---|---:|',
    `| with a purge (PURGE_URLS) | ${r.publish_to_visible_ms.with_purge} |`,
    `| without one (CDN_MAX_AGE ${r.publish_to_visible_ms.lifetime_s} s) | ${r.publish_to_visible_ms.without_purge} |`,
  ].join('\n');
}
