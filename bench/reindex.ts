/**
 * The reindex report (`npm run bench -- --reindex`): `npm run reindex`
 * through the real wrangler CLI over a local archive of 100,000 articles,
 * while readers keep reading. The archive's KV holds every article with its
 * publish metadata; its index has drifted the way it can in real use (a tenth
 * of the rows missing, a twentieth at another version). Lists are requested
 * without pause through the bundled worker in workerd, on the same local
 * state, before and during the reindex; reported: how long the reindex took,
 * what it wrote, and the latency and status of every reader request.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { reindex } from '../src/cli/reindex.ts';
import { projectWrangler } from '../src/cli/wrangler.ts';
import { published } from '../support/published.ts';
import { generatedArticle } from '../support/generated.ts';
import { ROOT, startWorker, type WorkerServer } from '../support/worker-server.ts';
import { indexRows, nextRevision } from '../support/seed.ts';

export interface ReindexReport {
  articles: number;
  missing_rows: number;
  outdated_rows: number;
  reindex_seconds: number;
  rows_written: number;
  reads: { before: LatencySummary; during: LatencySummary };
}

interface LatencySummary {
  requests: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  /** Responses by status class. */
  statuses: Record<string, number>;
}

const ROUTES = ['/', '/sections/generated', '/latest?page=40', '/latest?page=2000', '/feed.xml', '/sitemap.xml'];

/** Requests list routes with `concurrency` in flight until `stop()` resolves; every latency and status. */
async function read(worker: WorkerServer, until: Promise<unknown>, concurrency = 4): Promise<LatencySummary> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let done = false;
  void until.finally(() => (done = true));
  let i = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (!done) {
      const route = ROUTES[i++ % ROUTES.length]!;
      const started = performance.now();
      const res = await fetch(worker.url + route);
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      const kind = `${Math.floor(res.status / 100)}xx`;
      statuses[kind] = (statuses[kind] ?? 0) + 1;
    }
  }));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(1));
  return { requests: latencies.length, p50_ms: at(0.5), p99_ms: at(0.99), max_ms: Number((latencies.at(-1) ?? 0).toFixed(1)), statuses };
}

export async function reindexReport({ articles = 100_000 } = {}): Promise<ReindexReport> {
  const persist = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-reindex-bench-'));
  let worker: WorkerServer | undefined;
  try {
    worker = await startWorker({ persistTo: persist, vars: { ISOLATE_CACHE_TTL: '0', LIST_CACHE_MB: '0' } });
    const revision = await nextRevision(worker);
    console.error(`reindex: writing ${articles.toLocaleString('en')} articles to local KV and D1…`);
    const rows = [];
    let missing = 0, outdated = 0;
    for (let start = 0; start < articles; start += 500) {
      const batch = [];
      for (let n = start; n < Math.min(articles, start + 500); n++) {
        const article = await published(`generated/story-${n}`, generatedArticle(n, 1500), revision);
        batch.push(worker.kv.put(article.slug, article.source, { metadata: article.metadata }));
        // The drift: every tenth row missing, every twentieth at another version.
        if (n % 10 === 3) missing++;
        else if (n % 20 === 7) {
          outdated++;
          rows.push({ ...article.row, hash: 'f'.repeat(32) });
        } else rows.push(article.row);
      }
      await Promise.all(batch);
    }
    await indexRows(worker, rows);

    const before = await read(worker, new Promise((resolve) => setTimeout(resolve, 10_000)));
    console.error('reindex: running npm run reindex while readers read…');
    const started = performance.now();
    let written = 0;
    const run = reindex({
      target: { remote: false, persistTo: persist }, runner: projectWrangler(ROOT),
      log: (line) => {
        const m = /(\d+) row\(s\) written/.exec(line);
        if (m) written = Number(m[1]);
      },
    });
    const [code, during] = await Promise.all([run, read(worker, run)]);
    if (code !== 0) throw new Error(`reindex exited ${code}`);
    return {
      articles, missing_rows: missing, outdated_rows: outdated,
      reindex_seconds: Number(((performance.now() - started) / 1000).toFixed(1)), rows_written: written, reads: { before, during },
    };
  } finally {
    await worker?.close();
    await rm(persist, { recursive: true, force: true });
  }
}

export function formatReindex(r: ReindexReport): string {
  const row = (name: string, s: LatencySummary) =>
    `| ${name} | ${s.requests} | ${s.p50_ms} | ${s.p99_ms} | ${s.max_ms} | ${s.statuses['2xx'] ?? 0} | ${s.statuses['5xx'] ?? 0} |`;
  return [
    `Reindex of ${r.articles.toLocaleString('en')} articles (${r.missing_rows.toLocaleString('en')} rows missing, ${r.outdated_rows.toLocaleString('en')} outdated): ` +
      `${r.reindex_seconds} s, ${r.rows_written.toLocaleString('en')} rows written, readers reading throughout.`,
    '',
    '| list requests | requests | p50 ms | p99 ms | max ms | 2xx | 5xx |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row('before the reindex (10 s)', r.reads.before),
    row('during the reindex', r.reads.during),
  ].join('\n');
}
