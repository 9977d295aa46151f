/**
 * The archive report: what each list route costs as the archive grows from
 * 10³ to 10⁶ articles. For each size, the D1 index is seeded directly with
 * Node's built-in SQLite (through the same statements the worker and publish
 * use), the bundled worker runs in workerd through Miniflare's API, and every
 * route is requested many times through a twin with no isolate memo and no
 * list cache, so each request pays its full cost. Reported per route and
 * size: the in-worker time (`Server-Timing` total, the mean over the
 * samples: workerd's clock ticks in whole milliseconds), KV and D1 calls per
 * request, and the isolate's JS heap (V8 inspector) once every route has
 * been requested.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { indexRow, type IndexRow } from '../src/storage/index-rows.ts';
import { removeSlugsStatements, writeRowsStatements } from '../src/storage/index-sql.ts';
import { FRONTS_KEY } from '../src/storage/kv-format.ts';
import { startWorker, type WorkerServer } from '../support/worker-server.ts';

const COLD_HOST = 'cold.archive';
const SECTIONS = ['world', 'politics', 'science', 'local', 'culture', 'business', 'opinion', 'sport'];
/** A large publisher's pace: one article every 14.4 minutes, a hundred a day. */
const PER_DAY = 100;

export interface RouteCost {
  /** Mean in-worker time (Server-Timing total), ms. */
  ms: number;
  /** KV and D1 calls per request (the most seen). */
  kv_calls: number;
  d1_calls: number;
  status: number;
  bytes: number;
  /** What the response lists: cards on a page, URLs or entries in XML. */
  items: number;
}

export interface ArchiveSize {
  articles: number;
  /** Seconds to seed the index (Node's SQLite, the worker's own statements). */
  seed_seconds: number;
  /** The D1 database file, bytes. */
  database_bytes: number;
  routes: Record<string, RouteCost>;
  /** The isolate's JS heap after every route, bytes (V8 `Runtime.getHeapUsage` after a GC). */
  heap_bytes: number;
}

export interface ArchiveReport {
  samples: number;
  sizes: ArchiveSize[];
}

/** Filler vocabulary, drawn with a skew like real prose: a few words everywhere, most words rare. */
const VOCABULARY = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);

/**
 * About 400 words of body text for article `n`, with three planted words the
 * search report looks for: `council` in 90% of articles, `harbour` in 10%,
 * `lighthouse` in one in 10,000.
 */
function archiveText(n: number): string {
  let seed = n * 2654435761 % 4294967296;
  const random = () => (seed = (seed * 1664525 + 1013904223) % 4294967296) / 4294967296;
  const words: string[] = [];
  for (let i = 0; i < 400; i++) words.push(VOCABULARY[Math.floor(random() ** 3 * VOCABULARY.length)]!);
  if (n % 10 !== 0) words[7] = 'council';
  if (n % 10 === 3) words[57] = 'harbour';
  if (n % 10_000 === 4321) words[123] = 'lighthouse';
  return words.join(' ');
}

/** Article `n` of an archive of `count`, published at a steady pace up to an hour ago. */
export function archiveRow(n: number, count: number, now: number): IndexRow {
  const date = new Date(now - 3600_000 - (count - 1 - n) * (86_400_000 / PER_DAY)).toISOString().replace(/\.\d+Z$/, 'Z');
  return indexRow({
    slug: `archive/${SECTIONS[n % SECTIONS.length]}/story-${n}`,
    title: `Archive story ${n}: a headline of ordinary length about the town`,
    date,
    standfirst: 'A standfirst of a sentence or two, as every story in the archive has, to give the list cards their usual weight.',
    authors: [{ name: `Writer ${(n * 31) % 400}` }],
    section: SECTIONS[n % SECTIONS.length]!,
    tags: [`theme ${n % 20}`, `topic ${(n * 7919) % 2000}`],
    language: 'en',
    draft: false,
    corrections: [],
    aliases: [],
  }, (n + 1).toString(16).padStart(32, '0'), archiveText(n));
}

/** Seeds `count` rows into the local D1 file under `persist`, in chunks, as publish would write them. */
export async function seedIndex(persist: string, count: number, now: number): Promise<number> {
  const dir = path.join(persist, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = (await readdir(dir)).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (!file) throw new Error(`no D1 database under ${dir}`);
  const db = new DatabaseSync(path.join(dir, file));
  const context = { writer: 'editor' as const, trustMs: 0 };
  const prepared = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  db.exec('BEGIN');
  for (let start = 0; start < count; start += 500) {
    const rows: IndexRow[] = [];
    for (let n = start; n < Math.min(count, start + 500); n++) rows.push(archiveRow(n, count, now));
    for (const s of writeRowsStatements(rows, context)) {
      let statement = prepared.get(s.sql);
      if (!statement) prepared.set(s.sql, (statement = db.prepare(s.sql)));
      statement.all(...s.params);
    }
  }
  db.exec('COMMIT');
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
  return (await stat(path.join(dir, file))).size;
}

/** The V8 inspector of one worker: its heap after a garbage collection. */
async function heapUsed(inspectorPort: number, worker: WorkerServer): Promise<number> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as { id: string; webSocketDebuggerUrl: string }[];
  const target = targets.find((t) => t.id === 'core:user:broadsheet');
  if (!target) throw new Error('no inspector target for the worker');
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve);
    ws.addEventListener('error', reject);
  });
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = (method: string) => new Promise<unknown>((resolve) => {
    pending.set(++id, resolve);
    ws.send(JSON.stringify({ id, method }));
  });
  try {
    // The collection runs when the isolate next takes a request: keep asking until it has.
    let done = false;
    const collected = send('HeapProfiler.collectGarbage').then(() => (done = true));
    for (let i = 0; !done; i++) {
      if (i === 200) throw new Error('the heap was never collected');
      await (await fetch(`${worker.url}/robots.txt`)).arrayBuffer();
      await new Promise((r) => setTimeout(r, 10));
    }
    await collected;
    const usage = (await send('Runtime.getHeapUsage')) as { usedSize: number };
    return usage.usedSize;
  } finally {
    ws.close();
  }
}

function timing(res: { headers: { get(name: string): string | null } }): { total: number; kv: number; d1: number } {
  const header = res.headers.get('Server-Timing') ?? '';
  const calls = (name: string) => Number(new RegExp(`${name};dur=[\\d.]+;desc="(\\d+) calls?"`).exec(header)?.[1] ?? NaN);
  return { total: Number(/total;dur=([\d.]+)/.exec(header)?.[1] ?? NaN), kv: calls('kv'), d1: calls('d1') };
}

/**
 * A fronts file with six containers over the archive: three curated stories
 * filled from a section, then sections, a topic and an author, so the front
 * runs every kind of container read in its one batch.
 */
function benchFronts(count: number, now: number): string {
  const newest = [1, 2, 3].map((k) => archiveRow(count - k, count, now).slug);
  return `editions:
  bench: { title: Bench edition, regions: [US, UK, EU, AU, CA, NZ, INTL] }
fronts:
  bench:
    - { title: Top stories, articles: [${newest.join(', ')}], section: world, count: 6 }
    - { title: Politics, section: politics, count: 4 }
    - { title: Science, section: science, count: 4 }
    - { title: A theme, topic: theme-3, count: 4 }
    - { title: A writer, author: writer-31, count: 4 }
    - { title: Culture, section: culture, count: 4 }
`;
}

/** The routes measured at each size, by name. */
function routesFor(count: number, now: number): Record<string, string> {
  // The current month: the one crawlers fetch most. Its size follows the publishing pace, not the archive.
  const childMonth = new Date(now).toISOString().slice(0, 7);
  const sectionCount = Math.ceil(count / SECTIONS.length);
  return {
    'front page': '/',
    'section page': '/sections/world',
    'last page': `/latest?page=${Math.ceil(count / 20)}`,
    'middle page': `/latest?page=${Math.max(1, Math.floor(count / 40))}`,
    'last section page': `/sections/world?page=${Math.ceil(sectionCount / 20)}`,
    'topic page': '/tags/theme-3',
    'author page': '/authors/writer-31',
    'section feed': '/sections/world/feed.xml',
    'search, a rare word (1 in 10,000)': '/search?q=lighthouse',
    'search, a common word (1 in 10)': '/search?q=harbour',
    'search, a very common word (9 in 10)': '/search?q=council',
    'search, two common words': '/search?q=harbour+council',
    feed: '/feed.xml',
    'sitemap index': '/sitemap.xml',
    'child sitemap (a month)': `/sitemaps/articles-${childMonth}.xml`,
    'news sitemap': '/sitemaps/news.xml',
  };
}

/** Measures one archive size. */
async function measureSize(count: number, samples: number, inspectorPort: number): Promise<ArchiveSize> {
  const persist = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-archive-'));
  let worker: WorkerServer | undefined;
  try {
    const now = Date.now();
    // First start applies the migrations; the rows go straight into its SQLite file.
    await (await startWorker({ persistTo: persist })).close();
    const seeded = performance.now();
    const databaseBytes = await seedIndex(persist, count, now);
    const seedSeconds = (performance.now() - seeded) / 1000;
    const server = await startWorker({
      persistTo: persist,
      inspectorPort,
      variants: [{ name: 'cold', vars: { ISOLATE_CACHE_TTL: '0', LIST_CACHE_MB: '0' }, routes: [`${COLD_HOST}/*`] }],
    });
    worker = server;
    const routes: Record<string, RouteCost> = {};
    const measure = async (name: string, route: string) => {
      // Through the worker with its memos (as readers get it), then the cold twin for the cost.
      const first = await fetch(server.url + route);
      const text = await first.text();
      const bytes = new TextEncoder().encode(text).byteLength;
      const items = (text.match(/<loc>|<entry>|class="card[ "]|class="result"/g) ?? []).length;
      const cost: RouteCost = { ms: 0, kv_calls: 0, d1_calls: 0, status: first.status, bytes, items };
      let total = 0;
      for (let i = 0; i < samples; i++) {
        // Miniflare routes by the URL's host (Node's fetch would not send another Host).
        const res = await server.mf.dispatchFetch(`http://${COLD_HOST}${route}`);
        await res.arrayBuffer();
        const t = timing(res);
        total += t.total;
        cost.kv_calls = Math.max(cost.kv_calls, t.kv);
        cost.d1_calls = Math.max(cost.d1_calls, t.d1);
        if (res.status !== 200) cost.status = res.status;
      }
      cost.ms = Number((total / samples).toFixed(3));
      routes[name] = cost;
    };
    const all = routesFor(count, now);
    for (const [name, route] of Object.entries(all)) await measure(name, route);
    await server.kv.put(FRONTS_KEY, benchFronts(count, now));
    await measure('edition front (six containers)', '/editions/bench');
    // Deep pages after the archive changes below them: a backdated article, then a removal.
    // The anchors above move in the same write; no reader repairs anything.
    const backdated = archiveRow(0, count, now);
    await server.index.batch(writeRowsStatements([{ ...backdated, slug: 'archive/world/backdated', publishedAt: backdated.publishedAt - 60_000 }], { writer: 'editor', trustMs: 0 })
      .map((s) => server.index.prepare(s.sql).bind(...s.params)));
    await measure('middle page, after a backdated article', all['middle page']!);
    await measure('last page, after a backdated article', all['last page']!);
    await server.index.batch(removeSlugsStatements([archiveRow(1, count, now).slug], { writer: 'editor', trustMs: 0 }, null)
      .map((s) => server.index.prepare(s.sql).bind(...s.params)));
    await measure('middle page, after a removal', all['middle page']!);
    await measure('last page, after a removal', all['last page']!);
    const heap = await heapUsed(inspectorPort, server);
    return { articles: count, seed_seconds: Number(seedSeconds.toFixed(1)), database_bytes: databaseBytes, routes, heap_bytes: heap };
  } finally {
    await worker?.close();
    await rm(persist, { recursive: true, force: true });
  }
}

/** The whole report, one size after another (each in its own workerd). */
export async function archiveReport({ sizes = [1_000, 10_000, 100_000, 1_000_000], samples = 100, inspectorPort = 9240 } = {}): Promise<ArchiveReport> {
  const report: ArchiveReport = { samples, sizes: [] };
  for (const count of sizes) {
    console.error(`archive: ${count.toLocaleString('en')} articles…`);
    report.sizes.push(await measureSize(count, samples, inspectorPort));
  }
  return report;
}

/** The report as Markdown: one table of time and calls per route and size, then heap and database size. */
export function formatArchive(report: ArchiveReport): string {
  const sizes = report.sizes;
  const first = sizes[0]!;
  const names = Object.keys(first.routes);
  const label = (n: number) => n.toLocaleString('en');
  const lines = [
    `In-worker time per request (Server-Timing total, mean of ${report.samples}, no memo), ms; the last column is the largest size over the smallest.`,
    '',
    `| route | ${sizes.map((s) => label(s.articles)).join(' | ')} | × | KV calls | D1 calls | items listed |`,
    `|---|${sizes.map(() => '---:').join('|')}|---:|---:|---:|---|`,
    ...names.map((name) => {
      const costs = sizes.map((s) => s.routes[name]!);
      const ratio = costs.at(-1)!.ms / Math.max(costs[0]!.ms, 0.001);
      const bad = costs.some((c) => c.status !== 200) ? ` (status ${costs.map((c) => c.status).join('/')})` : '';
      return `| ${name}${bad} | ${costs.map((c) => c.ms.toFixed(2)).join(' | ')} | ${ratio.toFixed(2)} | ${Math.max(...costs.map((c) => c.kv_calls))} | ` +
        `${Math.max(...costs.map((c) => c.d1_calls))} | ${costs.map((c) => c.items).join(' / ')} |`;
    }),
    '',
    `| articles | JS heap after every route | D1 database | seeding |`,
    '|---:|---:|---:|---:|',
    ...sizes.map((s) => `| ${label(s.articles)} | ${(s.heap_bytes / 2 ** 20).toFixed(2)} MB | ${(s.database_bytes / 2 ** 20).toFixed(1)} MB | ${s.seed_seconds} s |`),
    '',
    `Heap growth from ${label(first.articles)} to ${label(sizes.at(-1)!.articles)} articles: ${((sizes.at(-1)!.heap_bytes - first.heap_bytes) / 2 ** 20).toFixed(2)} MB.`,
  ];
  return lines.join('\n');
}
