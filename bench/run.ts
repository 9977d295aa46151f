/**
 * `npm run bench -- [--rounds 5] [--seconds 5] [--connections 32] [--out FILE] [--quick] [--archive | --cache | --images | --reindex [--articles N]]`
 *
 * Measures Broadsheet against the ceiling of its runtime, in one workerd:
 *
 * - the worker exactly as deployed (wrangler's dry-run bundle), run through
 *   Miniflare's API, with KV seeded with the sample articles and over a
 *   thousand generated ones;
 * - beside it, a baseline worker that returns a constant page of the same
 *   size, the most any worker could do here;
 * - a second copy of the bundle with a 1 MB render cache and no isolate memo,
 *   so every request to it is a cold render.
 *
 * Load comes from wrk, in interleaved rounds whose order reverses every
 * round, after a warm-up; each scenario's ratio is taken against the baseline
 * of its own round and the median across rounds is reported.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { loadContent } from '../src/cli/content.ts';
import { archiveReport, formatArchive, type ArchiveReport } from './archive.ts';
import { cacheReport, formatCache, type CacheReport } from './cache.ts';
import { formatImages, imagesReport, type ImagesReport } from './images.ts';
import { formatReindex, reindexReport, type ReindexReport } from './reindex.ts';
import { seedBanners, seedGenerated, seedSamples } from '../support/seed.ts';
import { PATHOLOGICAL } from '../support/pathological.ts';
import { ROOT, buildWorker, startWorker, type WorkerServer } from '../support/worker-server.ts';
import { pinWorkerd, runWrk, type LoadRequest, type WrkResult } from '../support/wrk.ts';

const run = promisify(execFile);
const COLD_HOST = 'cold.bench';
const PATHOLOGICAL_COPIES = 5;

interface ScenarioResult {
  name: string;
  /** Responses other than 200 and 304, and socket errors, over all rounds: must be 0. */
  errors: number;
  /** What the errors were, by status or socket error kind. */
  error_kinds?: Record<string, number>;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  ratio_to_baseline: number;
}

export interface BenchReport {
  machine: { cpu: string; cores: number; memory_gb: number; os: string; node: string; date: string };
  settings: { rounds: number; seconds: number; connections: number; pinned: boolean };
  scenarios: ScenarioResult[];
  render_ms: Record<string, number>;
  pathological_ms: Record<string, number>;
  bundle_gzip_bytes: number;
  startup_ms: number | null;
  /** What list routes cost as the archive grows (bench/archive.ts). */
  archive?: ArchiveReport;
  /** Hit ratios per country and per group through Varnish, and publish to visible (bench/cache.ts). */
  cache?: CacheReport;
  /** A reindex of 10⁵ articles while readers read (bench/reindex.ts). */
  reindex?: ReindexReport;
  /** Image bytes per page before and after resized variants, and what a variant costs (bench/images.ts). */
  images?: ImagesReport;
}

const sizeSlug = (label: string) => label.replace(' ', '').toLowerCase();

function errorKinds(results: WrkResult[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const r of results) {
    for (const [kind, n] of Object.entries(r.socketErrors)) if (n) kinds[kind] = (kinds[kind] ?? 0) + n;
    for (const [status, n] of Object.entries(r.statuses)) if (status !== '200' && status !== '304') kinds[status] = (kinds[status] ?? 0) + n;
  }
  return kinds;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** `render;dur=…` from a response's Server-Timing, in ms. */
function renderTiming(res: { headers: { get(name: string): string | null }; url: string }): number {
  const match = /render;dur=([\d.]+)/.exec(res.headers.get('Server-Timing') ?? '');
  if (!match) throw new Error(`no render timing on ${res.url}`);
  return Number(match[1]);
}

/**
 * An article of ordinary prose, `bytes` of markdown long, distinct for each `n`:
 * the shipped sample articles' bodies, repeated, after a line that makes it unique.
 */
function sizedArticle(prose: string, n: number, bytes: number): string {
  const body = `Edition ${n}.\n\n${prose.repeat(Math.ceil(bytes / prose.length))}`.slice(0, bytes);
  return `---\ntitle: Sized article ${n}\ndate: 2026-01-01T00:00:00Z\nsection: bench\n---\n\n${body}\n`;
}

async function startupMs(): Promise<number | null> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-startup-'));
  try {
    const { stdout, stderr } = await run(process.execPath, [
      path.join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'check', 'startup', '--outfile', path.join(dir, 'startup.cpuprofile'),
    ], { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' } });
    const active = /Active:\s*([\d.]+)\s*ms/.exec(stdout + stderr);
    return active ? Number(active[1]) : null;
  } catch {
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function bench({ rounds = 5, seconds = 5, connections = 16, quick = false } = {}): Promise<BenchReport> {
  const state = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-bench-'));
  // Distinct articles per size; workerd's clock ticks in whole milliseconds, so
  // the render time is the mean over many cold renders.
  const sizes = { '10 KB': { bytes: 10_000, count: quick ? 40 : 200 }, '100 KB': { bytes: 100_000, count: quick ? 10 : 40 }, '1 MB': { bytes: 1_000_000, count: 5 } };
  let worker: WorkerServer | undefined;
  try {
    // 1. Seed KV once, in a state directory both workerd runs share.
    const seeding = await startWorker({ persistTo: state });
    const samples = await seedSamples(seeding);
    // The shipped banners file, with its sample copy test live.
    await seedBanners(seeding);
    await seedGenerated(seeding, quick ? 1050 : 1200);
    const cold = await seedGenerated(seeding, quick ? 600 : 2000, 10_000, 'cold');
    const shipped = await loadContent(path.join(ROOT, 'articles'), [path.join(ROOT, 'articles')]);
    const prose = shipped.articles.map((a) => a.article.body).join('\n\n');
    for (const [label, { bytes, count }] of Object.entries(sizes)) {
      for (let i = 0; i < count; i++) await seeding.kv.put(`bench/${sizeSlug(label)}-${i}`, sizedArticle(prose, i, bytes));
    }
    // Five distinct copies of each pathological case, as plain puts (no metadata,
    // no validation), so each is rendered cold.
    for (const [i, markdown] of Object.values(PATHOLOGICAL).entries()) {
      for (let copy = 0; copy < PATHOLOGICAL_COPIES; copy++) {
        await seeding.kv.put(`bench/pathological-${i}-${copy}`, `---\ntitle: Case ${i}\ndate: 2026-01-01\n---\n\nCopy ${copy}.\n\n${markdown}\n`);
      }
    }
    const article = `/articles/${samples[0]}`;
    const sample = await fetch(seeding.url + article, { headers: { 'CF-IPCountry': 'GB' } });
    const page = await sample.text();
    const pageHeaders = Object.fromEntries([...sample.headers].filter(([name]) => !['content-length', 'date'].includes(name)));
    await seeding.close();

    // 2. The worker, its cold twin and the baseline in one workerd.
    const baseline = `const body = ${JSON.stringify(page)};\n` +
      `export default { fetch() { return new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } }); } };`;
    // The same page with the same ~20 headers an article response carries: what
    // the headers alone cost, before any app code runs.
    const headered = `const body = ${JSON.stringify(page)};\nconst headers = ${JSON.stringify(pageHeaders)};\n` +
      `export default { fetch() { return new Response(body, { headers }); } };`;
    worker = await startWorker({
      persistTo: state,
      variants: [{ name: 'cold', vars: { RENDER_CACHE_MB: '1', ISOLATE_CACHE_TTL: '0' }, routes: [`${COLD_HOST}/*`] }],
      extraWorkers: [
        { name: 'baseline', script: baseline, routes: ['*/__baseline'] },
        { name: 'headered', script: headered, routes: ['*/__headered'] },
      ],
    });
    // workerd on one core, wrk on another: neither steals the other's CPU.
    const cpu = pinWorkerd();
    const base = worker.url;
    const etag = (await fetch(base + article, { headers: { 'CF-IPCountry': 'GB' } })).headers.get('ETag')!;

    const scenarios: Record<string, LoadRequest[]> = {
      baseline: [{ path: '/__baseline' }],
      'baseline with an article\'s headers': [{ path: '/__headered' }],
      // A constant file through the whole app: what Hono, the middleware and
      // ~20 headers cost before Broadsheet does any work of its own.
      'static file through the app': [{ path: '/favicon.svg' }],
      'warm article, one region': [{ path: article, headers: { 'CF-IPCountry': 'GB' } }],
      'warm article, mixed regions': ['GB', 'US', 'DE', 'AU', 'CA', 'NZ', 'JP'].map((c) => ({ path: article, headers: { 'CF-IPCountry': c } })),
      // The gateway reads and checks the test cookie (the banners file from the isolate's memo) on every such request.
      'warm article, readers in a copy test': ['control', 'plain-words', 'local-cost'].map((arm) => ({ path: article, headers: { 'CF-IPCountry': 'GB', Cookie: `bs_test=winter-heading.${arm}` } })),
      'cold render (10 KB, every request a new article)': cold.map((slug) => ({ path: `/articles/${slug}`, headers: { Host: COLD_HOST, 'CF-IPCountry': 'GB' } })),
      '304 revalidation': [{ path: article, headers: { 'CF-IPCountry': 'GB', 'If-None-Match': etag } }],
      [`index (${quick ? 1650 : 3200}+ articles)`]: [{ path: '/' }],
      feed: [{ path: '/feed.xml' }],
      'JSON API': [{ path: `/api/articles/${samples[0]}` }],
    };
    const names = Object.keys(scenarios);
    const load = (name: string, secs: number) => runWrk(base, scenarios[name]!, { seconds: secs, connections, threads: 1, cpu });

    // 3. Warm-up, then interleaved rounds, the order reversed every other round.
    for (const name of names) await load(name, quick ? 1 : 2);
    const results: Record<string, WrkResult[]> = Object.fromEntries(names.map((n) => [n, []]));
    const ratios: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? [...names].reverse() : names;
      const thisRound: Record<string, WrkResult> = {};
      for (const name of order) thisRound[name] = await load(name, seconds);
      for (const name of names) {
        results[name]!.push(thisRound[name]!);
        ratios[name]!.push(thisRound[name]!.rps / thisRound.baseline!.rps);
      }
      console.error(`round ${round + 1}/${rounds} done`);
    }

    // 4. Cold renders by size, and pathological inputs, timed inside the worker.
    const render_ms: Record<string, number> = {};
    for (const [label, { count }] of Object.entries(sizes)) {
      let total = 0;
      for (let i = 0; i < count; i++) {
        // Miniflare routes by the URL's host to the cold twin (Node's fetch cannot send another Host).
        const res = await worker.mf.dispatchFetch(`http://${COLD_HOST}/articles/bench/${sizeSlug(label)}-${i}`);
        await res.arrayBuffer();
        total += renderTiming(res);
      }
      render_ms[label] = Number((total / count).toFixed(2));
    }
    const pathological_ms: Record<string, number> = {};
    for (const [i, name] of Object.keys(PATHOLOGICAL).entries()) {
      const times: number[] = [];
      for (let copy = 0; copy < PATHOLOGICAL_COPIES; copy++) {
        const res = await worker.mf.dispatchFetch(`http://${COLD_HOST}/articles/bench/pathological-${i}-${copy}`);
        await res.arrayBuffer();
        times.push(renderTiming(res));
      }
      pathological_ms[name] = median(times);
    }

    return {
      machine: {
        cpu: os.cpus()[0]?.model ?? 'unknown',
        cores: os.cpus().length,
        memory_gb: Math.round(os.totalmem() / 2 ** 30),
        os: `${os.type()} ${os.release()}`,
        node: process.version,
        date: new Date().toISOString().slice(0, 10),
      },
      settings: { rounds, seconds, connections, pinned: cpu !== undefined },
      scenarios: names.map((name) => ({
        name,
        error_kinds: errorKinds(results[name]!),
        errors: results[name]!.reduce((sum, r) => sum + Object.values(r.socketErrors).reduce((a, b) => a + b, 0) +
          Object.entries(r.statuses).filter(([status]) => status !== '200' && status !== '304').reduce((a, [, n]) => a + n, 0), 0),
        rps: Math.round(median(results[name]!.map((r) => r.rps))),
        p50_ms: median(results[name]!.map((r) => r.p50_ms)),
        p99_ms: median(results[name]!.map((r) => r.p99_ms)),
        ratio_to_baseline: Number(median(ratios[name]!).toFixed(3)),
      })),
      render_ms,
      pathological_ms,
      bundle_gzip_bytes: gzipSync(await readFile(await buildWorker())).byteLength,
      startup_ms: await startupMs(),
    };
  } finally {
    await worker?.close();
    await rm(state, { recursive: true, force: true });
  }
}

/** The report as the Markdown tables the README shows. */
export function formatReport(r: BenchReport): string {
  const lines = [
    `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memory_gb} GB; ${r.machine.os}; Node ${r.machine.node}; ${r.machine.date}.`,
    `wrk: 1 thread, ${r.settings.connections} connections, ${r.settings.rounds} rounds of ${r.settings.seconds} s per scenario, order reversed every round; medians across rounds.` +
      (r.settings.pinned ? ' workerd pinned to core 0, wrk to another.' : ''),
    '',
    '| scenario | req/s | p50 ms | p99 ms | × baseline | errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.scenarios.map((s) => `| ${s.name} | ${s.rps} | ${s.p50_ms.toFixed(2)} | ${s.p99_ms.toFixed(2)} | ${s.ratio_to_baseline.toFixed(2)} | ${s.errors} |`),
    '',
    '| cold render of ordinary prose, in the worker (mean) | ms |',
    '|---|---:|',
    ...Object.entries(r.render_ms).map(([k, v]) => `| ${k} | ${v.toFixed(2)} |`),
    '',
    '| pathological input, in the worker (median of 5 cold renders) | ms |',
    '|---|---:|',
    ...Object.entries(r.pathological_ms).map(([k, v]) => `| ${k} | ${v.toFixed(2)} |`),
    '',
    `Bundle: ${(r.bundle_gzip_bytes / 1024).toFixed(1)} KB gzipped. Startup (wrangler check startup, active CPU): ${r.startup_ms === null ? 'n/a' : `${r.startup_ms} ms`}.`,
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string' }, seconds: { type: 'string' }, connections: { type: 'string', default: '16' },
      out: { type: 'string' }, quick: { type: 'boolean' },
      // The archive report alone, and which sizes it covers (default 10³ to 10⁶).
      archive: { type: 'boolean' }, sizes: { type: 'string' }, samples: { type: 'string' },
      // The cache report alone; the reindex report alone.
      cache: { type: 'boolean' }, reindex: { type: 'boolean' }, articles: { type: 'string' },
      // The images report alone.
      images: { type: 'boolean' },
    },
  });
  const quick = values.quick === true;
  const sizes = values.sizes?.split(',').map(Number) ?? (quick ? [1_000, 10_000, 100_000] : undefined);
  const archiveOptions = { ...(sizes && { sizes }), samples: Number(values.samples ?? (quick ? 30 : 100)) };
  if (values.reindex) {
    const result = await reindexReport({ articles: Number(values.articles ?? 100_000) });
    console.log(formatReindex(result));
    if (values.out) await writeFile(values.out, `${JSON.stringify({ reindex: result }, null, 2)}\n`);
    return;
  }
  if (values.images) {
    const images = await imagesReport();
    console.log(formatImages(images));
    if (values.out) await writeFile(values.out, `${JSON.stringify({ images }, null, 2)}\n`);
    return;
  }
  if (values.cache) {
    const cache = await cacheReport(quick ? { requests: 5000 } : {});
    console.log(formatCache(cache));
    if (values.out) await writeFile(values.out, `${JSON.stringify({ cache }, null, 2)}\n`);
    return;
  }
  if (values.archive) {
    const archive = await archiveReport(archiveOptions);
    console.log(formatArchive(archive));
    if (values.out) await writeFile(values.out, `${JSON.stringify({ archive }, null, 2)}\n`);
    return;
  }
  const report = await bench({
    rounds: Number(values.rounds ?? (quick ? 1 : 5)),
    seconds: Number(values.seconds ?? (quick ? 2 : 5)),
    connections: Number(values.connections),
    quick,
  });
  report.archive = await archiveReport(archiveOptions);
  report.cache = await cacheReport(quick ? { requests: 5000 } : {});
  report.reindex = await reindexReport({ articles: quick ? 10_000 : 100_000 });
  report.images = await imagesReport();
  console.log(formatReport(report));
  console.log(`\n${formatArchive(report.archive)}`);
  console.log(`\n${formatCache(report.cache)}`);
  console.log(`\n${formatReindex(report.reindex)}`);
  console.log(`\n${formatImages(report.images)}`);
  if (values.out) await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
}

if (import.meta.filename === process.argv[1]) await main();
