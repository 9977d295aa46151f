// The banner programme end to end: copy tests through a real Varnish (the
// README's VCL keeps each arm apart; the stock VCL gives everyone the
// control), and `npm run banner:report` over events this test generated,
// its numbers checked. The bundled worker runs in workerd with local KV and
// D1, behind Varnish in "header" assignment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bannerReport, remoteQuery } from '../../src/cli/banner-report.ts';
import { wilson } from '../../src/content/banner-stats.ts';
import { BANNERS_KEY } from '../../src/storage/kv-format.ts';
import { wrangler } from '../../support/desk.ts';
import { seedSamples } from '../../support/seed.ts';
import { readmeVcl, startVarnish, type Varnish } from '../../support/varnish.ts';
import { ROOT, startWorker, type WorkerServer } from '../../support/worker-server.ts';

const BANNERS = `tests:
  - name: live
    start: 2020-01-01T00:00:00Z
    end: 2099-01-01T00:00:00Z
    groups: [UK, EU, US]
    control: {share: 50}
    variants:
      - name: bold
        share: 25
        copy: {heading: Bold words for bold reporting}
      - name: calm
        share: 25
        copy: {heading: A calm word about paying for news}
`;

let worker: WorkerServer;
let readme: Varnish;
let stock: Varnish;

beforeAll(async () => {
  worker = await startWorker({ vars: { REGION_HEADERS: 'CF-IPCountry', ISOLATE_CACHE_TTL: '0', BANNER_TEST_ASSIGNMENT: 'header', BANNER_LOCAL_COUNTS: 'true' } });
  await seedSamples(worker);
  await worker.kv.put(BANNERS_KEY, BANNERS);
  const backend = new URL(worker.url).host;
  readme = await startVarnish(backend, await readmeVcl(ROOT));
  stock = await startVarnish(backend);
}, 120_000);

afterAll(async () => {
  await readme?.close();
  await stock?.close();
  await worker?.close();
});

const ARTICLES = ['/articles/local/harbour-ferry-returns', '/articles/science/rock-pool-census', '/articles/culture/night-library'];
const COUNTRIES: Record<string, string> = { GB: 'UK', DE: 'EU', US: 'US' };
const ARMS = ['control', 'bold', 'calm'];

function banner(html: string): string {
  const m = /<aside class="support" data-region="([A-Z]+)" data-test="([^"]+)" data-variant="([^"]+)"/.exec(html);
  return m ? `${m[1]} ${m[2]}/${m[3]}` : 'none';
}

/** Varnish's X-Varnish holds two transaction ids when the object came from cache. */
const isHit = (res: Response) => (res.headers.get('X-Varnish') ?? '').trim().split(/\s+/).length === 2;

describe('copy tests through Varnish', () => {
  it('with the README\'s VCL: each arm cached apart, every reader shown their own arm, 0 leaks', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let leaks = 0, hits = 0;
    const total = 360;
    for (let i = 0; i < total; i++) {
      const country = Object.keys(COUNTRIES)[Math.floor(random() * 3)]!;
      const arm = ARMS[Math.floor(random() * 3)]!;
      const path = ARTICLES[Math.floor(random() * ARTICLES.length)]!;
      // Other cookies beside it, as a browser sends them.
      const res = await fetch(readme.url + path, { headers: { 'CF-IPCountry': country, Cookie: `theme=dark; bs_test=live.${arm}; other=1` } });
      const html = await res.text();
      if (banner(html) !== `${COUNTRIES[country]} live/${arm}`) leaks++;
      if (isHit(res)) hits++;
      expect(res.headers.get('Set-Cookie')).toBeNull();
    }
    expect(leaks).toBe(0);
    // 3 articles × 3 groups × 3 arms = 27 objects; everything after their first fetch is a hit.
    expect(hits).toBeGreaterThanOrEqual(total - 27);
  });

  it('with the README\'s VCL: a reader with no test cookie gets the shared copy, and the beacon enrols them', async () => {
    const page = await fetch(readme.url + ARTICLES[0], { headers: { 'CF-IPCountry': 'GB' } });
    expect(banner(await page.text())).toBe('UK -/default');
    const beacon = await fetch(`${readme.url}/_banner/UK/-/default/seen`, { headers: { 'CF-IPCountry': 'GB' } });
    const cookie = /^bs_test=(live\.(control|bold|calm));/.exec(beacon.headers.get('Set-Cookie') ?? '')?.[1];
    expect(cookie).toBeDefined();
    const next = await fetch(readme.url + ARTICLES[1], { headers: { 'CF-IPCountry': 'GB', Cookie: `bs_test=${cookie}` } });
    expect(banner(await next.text())).toBe(`UK ${cookie!.replace('.', '/')}`);
  });

  it('with the stock VCL, which cannot tell arms apart: every reader gets the control, never a mixture', async () => {
    const shown = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const res = await fetch(stock.url + ARTICLES[i % 3], { headers: { 'CF-IPCountry': 'GB', Cookie: `bs_test=live.${ARMS[i % 3]}` } });
      shown.add(banner(await res.text()));
    }
    expect([...shown]).toEqual(['UK -/default']);
  });
});

describe('npm run banner:report', () => {
  async function counted(kind: string, variant: string): Promise<number> {
    return (await worker.index.prepare("SELECT COALESCE(SUM(count), 0) AS n FROM banner_counts WHERE test = 'live' AND grp = 'UK' AND kind = ?1 AND variant = ?2")
      .bind(kind, variant).first<number>('n')) ?? 0;
  }

  it('reports the impressions and clicks this test generated, with their rates, intervals and verdicts', { timeout: 120_000 }, async () => {
    const plan: [string, number, number][] = [['control', 400, 20], ['bold', 400, 60], ['calm', 200, 11]];
    for (const [variant, impressions, clicks] of plan) {
      const requests = [
        ...Array.from({ length: impressions }, () => `/_banner/UK/live/${variant}/seen`),
        ...Array.from({ length: clicks }, () => `/go/UK/live/${variant}/primary`),
      ];
      for (let i = 0; i < requests.length; i += 20) {
        await Promise.all(requests.slice(i, i + 20).map((path) => fetch(worker.url + path, { redirect: 'manual' }).then((r) => r.arrayBuffer())));
      }
    }
    // The counts are written after each response.
    for (const [variant, impressions, clicks] of plan) {
      for (let i = 0; i < 200 && ((await counted('impression', variant)) < impressions || (await counted('click', variant)) < clicks); i++) await new Promise((r) => setTimeout(r, 25));
      expect(await counted('impression', variant)).toBe(impressions);
      expect(await counted('click', variant)).toBe(clicks);
    }

    const lines: string[] = [];
    expect(await bannerReport({ root: ROOT, target: { remote: false, persistTo: worker.persist }, since: '7d', runner: wrangler, log: (l) => lines.push(l) })).toBe(0);
    const output = lines.join('\n');
    const row = (variant: string) => output.split('\n').find((l) => l.startsWith(`  UK     ${variant} `))!;
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    for (const [variant, impressions, clicks] of plan) {
      const [lo, hi] = wilson(clicks, impressions);
      expect(row(variant), output).toMatch(new RegExp(`^  UK     ${variant} +${impressions} +${clicks} +0 +${pct(clicks / impressions).replace('.', '\\.')} +${pct(lo).replace('.', '\\.')} – ${pct(hi).replace('.', '\\.')}`));
    }
    expect(row('control')).toMatch(/control$/);
    // 15% against 5% over 400 each: p far below 0.001. 5.5% against 5%: no clear difference.
    expect(row('bold')).toMatch(/differs \(p = <0\.001\)$/);
    expect(row('calm')).toMatch(/no clear difference \(p = 0\.\d{3}\)$/);
    expect(output).toContain('Test live:');
    // The same report from the command line an editor types.
    const { execFile } = await import('node:child_process');
    const printed = await new Promise<string>((resolve, reject) => {
      execFile('npm', ['run', '--silent', 'banner:report', '--', '--local', '--persist-to', worker.persist, '--since', '7d'], { cwd: ROOT }, (error, stdout, stderr) =>
        (error ? reject(new Error(`${stdout}${stderr}`)) : resolve(stdout)));
    });
    expect(printed.trim()).toBe(output.trim());
  });

  it('asks Analytics Engine for the same numbers with --remote, with the token the README names', async () => {
    const sent: { url: string; auth: string | null; body: string }[] = [];
    const fetchStandIn = (async (url: string, init: RequestInit) => {
      sent.push({ url, auth: new Headers(init.headers).get('Authorization'), body: String(init.body) });
      return new Response(JSON.stringify({ data: [
        { test: 'live', variant: 'control', group: 'UK', kind: 'impression', n: '1000' }, { test: 'live', variant: 'control', group: 'UK', kind: 'click', n: '50' },
        { test: 'live', variant: 'bold', group: 'UK', kind: 'impression', n: '1000' }, { test: 'live', variant: 'bold', group: 'UK', kind: 'click', n: '90' },
      ] }));
    }) as unknown as typeof fetch;
    const lines: string[] = [];
    const code = await bannerReport({
      root: ROOT, target: { remote: true }, since: '24h', runner: wrangler, log: (l) => lines.push(l),
      environ: { CLOUDFLARE_ACCOUNT_ID: 'acc123', CLOUDFLARE_API_TOKEN: 'tok' }, fetch: fetchStandIn,
    });
    expect(code).toBe(0);
    expect(sent).toEqual([{ url: 'https://api.cloudflare.com/client/v4/accounts/acc123/analytics_engine/sql', auth: 'Bearer tok', body: remoteQuery('broadsheet_banner_events', 86_400_000) }]);
    expect(sent[0]!.body).toContain("FROM broadsheet_banner_events WHERE timestamp > NOW() - INTERVAL '24' HOUR");
    expect(lines.join('\n')).toMatch(/UK     bold +1000 +90 +0 +9\.00% +7\.38% – 10\.93% +differs \(p = <0\.001\)/);
    await expect(bannerReport({ root: ROOT, target: { remote: true }, since: '7d', runner: wrangler, log: () => {}, environ: {} })).rejects.toThrow('CLOUDFLARE_API_TOKEN');
    expect(await bannerReport({ root: ROOT, target: { remote: false }, since: 'a week', runner: wrangler, log: () => {} })).toBe(2);
  });
});
