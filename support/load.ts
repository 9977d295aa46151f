/**
 * The load run behind `npm run load` and the load test: wrk against the bundled worker in workerd (Miniflare's API), over a mix of
 * articles in several regions, 304 revalidations, expected 404s, the index,
 * feed, sitemap and JSON. Reports every response that is not what its
 * request should get, and the workerd process's memory while the render cache
 * churns through more articles than its byte budget holds.
 */
import { execFileSync } from 'node:child_process';
import { seedGenerated, seedSamples } from './seed.ts';
import { startWorker } from './worker-server.ts';
import { runWrk, type LoadRequest, type WrkResult } from './wrk.ts';

export interface LoadReport {
  seconds: number;
  connections: number;
  requests: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  statuses: Record<string, number>;
  socket_errors: WrkResult['socketErrors'];
  /** Responses that were not what their request should get, plus socket errors. */
  unexpected: number;
  /** workerd's resident memory: at start, peak, end, and a sample every 5 s in between. */
  rss_mb: { start: number; peak: number; end: number; every_5s: number[] };
  render_cache_mb: number;
}

const REGIONS = ['GB', 'US', 'DE', 'AU', 'JP', 'XX'];

/** workerd processes started by this Node process, and their resident memory in MB. */
function workerdRssMb(): number {
  const out = execFileSync('ps', ['-eo', 'ppid=,rss=,comm='], { encoding: 'utf8' });
  let kb = 0;
  for (const line of out.split('\n')) {
    const [ppid, rss, comm] = line.trim().split(/\s+/);
    if (Number(ppid) === process.pid && comm === 'workerd') kb += Number(rss);
  }
  return kb / 1024;
}

export async function runLoad({ seconds = 60, connections = 64, renderCacheMb = 8, generated = 300 } = {}): Promise<LoadReport> {
  const worker = await startWorker({ vars: { RENDER_CACHE_MB: String(renderCacheMb) } });
  try {
    const samples = await seedSamples(worker);
    // More (and bigger) articles than the render cache's budget holds, so it must evict.
    const stories = await seedGenerated(worker, generated, 20_000);

    const etags: LoadRequest[] = [];
    for (const [path, country] of [[`/articles/${samples[0]}`, 'GB'], [`/articles/${samples[1]}`, 'US'], ['/', 'DE']] as const) {
      const res = await fetch(worker.url + path, { headers: { 'CF-IPCountry': country } });
      await res.arrayBuffer();
      etags.push({ path, headers: { 'CF-IPCountry': country, 'If-None-Match': res.headers.get('ETag')! } });
    }

    const ok: LoadRequest[] = [
      ...samples.flatMap((slug, i) => [{ path: `/articles/${slug}`, headers: { 'CF-IPCountry': REGIONS[i % REGIONS.length]! } }]),
      ...stories.map((slug, i) => ({ path: `/articles/${slug}`, headers: { 'CF-IPCountry': REGIONS[i % REGIONS.length]! } })),
      { path: '/' }, { path: '/latest?page=2' }, { path: '/feed.xml' }, { path: '/sitemap.xml' },
      // No HEAD here: wrk's parser does not know a HEAD response has no body.
      { path: `/api/articles/${samples[2]}` },
    ];
    const notModified = Array.from({ length: Math.ceil(ok.length / 10) }, (_, i) => etags[i % etags.length]!);
    const missing = Array.from({ length: Math.ceil(ok.length / 10) }, (_, i) => ({ path: i % 2 ? `/articles/missing-${i}` : '/articles/Not..A.Slug' }));
    // Interleave so every stretch of the cycle has a bit of everything.
    const requests: LoadRequest[] = [];
    for (let i = 0; i < ok.length; i++) {
      requests.push(ok[i]!);
      if (i % 10 === 0) requests.push(notModified[i / 10]!, missing[i / 10]!);
    }
    const expected = { 200: ok.length, 304: notModified.length, 404: missing.length };

    const start = workerdRssMb();
    let peak = start;
    const timeline: number[] = [];
    let ticks = 0;
    const sampler = setInterval(() => {
      const now = workerdRssMb();
      peak = Math.max(peak, now);
      if (++ticks % 10 === 0) timeline.push(Math.round(now));
    }, 500);
    let result: WrkResult;
    try {
      result = await runWrk(worker.url, requests, { seconds, connections });
    } finally {
      clearInterval(sampler);
    }
    const end = workerdRssMb();

    // Each connection walks the same cycle, so every status should hold its
    // share of the total, give or take the requests in flight at the end.
    const total = result.requests;
    let unexpected = Object.values(result.socketErrors).reduce((a, b) => a + b, 0);
    for (const [status, count] of Object.entries(result.statuses)) {
      const share = expected[Number(status) as keyof typeof expected];
      if (share === undefined) unexpected += count;
      else unexpected += Math.max(0, Math.abs(count - (total * share) / requests.length) - 2 * connections);
    }
    return {
      seconds: result.seconds,
      connections,
      requests: total,
      rps: result.rps,
      p50_ms: result.p50_ms,
      p99_ms: result.p99_ms,
      statuses: result.statuses,
      socket_errors: result.socketErrors,
      unexpected: Math.round(unexpected),
      rss_mb: { start: Math.round(start), peak: Math.round(Math.max(peak, end)), end: Math.round(end), every_5s: timeline },
      render_cache_mb: renderCacheMb,
    };
  } finally {
    await worker.close();
  }
}
