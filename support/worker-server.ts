/**
 * The worker exactly as deployed (wrangler's dry-run bundle), run in workerd
 * through Miniflare's API with its own KV, D1, R2 and Images, on a loopback port. Used by the
 * end-to-end tests and the benchmark; no wrangler dev proxy in between.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readD1Migrations } from '@cloudflare/vitest-plugin';
import { Log, LogLevel, Miniflare } from 'miniflare';
import { unstable_readConfig } from 'wrangler';
import { projectWrangler, runOrThrow } from '../src/cli/wrangler.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** The secrets the test workers run with. */
export const TEST_PREVIEW_SECRET = 'test-preview-secret';
export const TEST_PURGE_SECRET = 'test-purge-secret';

let build: Promise<string> | undefined;

/** Bundles the worker once per process with `wrangler deploy --dry-run --outdir`; returns the script path. */
export function buildWorker(): Promise<string> {
  build ??= (async () => {
    const outdir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-build-'));
    await runOrThrow(projectWrangler(ROOT), ['deploy', '--dry-run', '--outdir', outdir]);
    return path.join(outdir, 'index.js');
  })();
  return build;
}

export interface WorkerServer {
  url: string;
  mf: Miniflare;
  kv: Awaited<ReturnType<Miniflare['getKVNamespace']>>;
  /** The D1 index, migrated. Calls from Node cost ~16 ms each: write in batches. */
  index: Awaited<ReturnType<Miniflare['getD1Database']>>;
  /** The MEDIA bucket, in the same local state wrangler's `r2` commands write. */
  media: Awaited<ReturnType<Miniflare['getR2Bucket']>>;
  /** Local state, in wrangler's layout. */
  persist: string;
  close(): Promise<void>;
}

export interface WorkerOptions {
  /** Overrides for `[vars]` from wrangler.toml. */
  vars?: Record<string, string>;
  /** Extra workers in the same workerd, e.g. a baseline for the benchmark. */
  extraWorkers?: { name: string; script: string; routes?: string[] }[];
  /** More copies of the bundled worker, with their own vars and routes, sharing its KV. */
  variants?: { name: string; vars: Record<string, string>; routes: string[] }[];
  /**
   * Local state directory in wrangler's layout (what `--persist-to` takes), so
   * the worker reads what the real wrangler CLI wrote. A fresh one when absent.
   */
  persistTo?: string;
  port?: number;
  /** Opens the V8 inspector on this port, for profiling. */
  inspectorPort?: number;
}

/** Starts the bundled worker with the project's `[vars]` (plus overrides) and an ARTICLES namespace. */
export async function startWorker(options: WorkerOptions = {}): Promise<WorkerServer> {
  const scriptPath = await buildWorker();
  const config = unstable_readConfig({ config: path.join(ROOT, 'wrangler.toml') });
  const vars = Object.fromEntries(Object.entries(config.vars).map(([k, v]) => [k, String(v)]));
  const persist = options.persistTo ?? (await mkdtemp(path.join(os.tmpdir(), 'broadsheet-state-')));
  // Wrangler keeps local state under v3/, keyed by each binding's id, or by the binding's
  // name where wrangler.toml leaves the id to automatic provisioning (as `wrangler dev` does).
  const namespace = config.kv_namespaces.find((ns: { binding: string; id?: string }) => ns.binding === 'ARTICLES');
  if (!namespace) throw new Error('wrangler.toml has no ARTICLES KV namespace');
  const database = config.d1_databases.find((db: { binding: string }) => db.binding === 'INDEX');
  if (!database) throw new Error('wrangler.toml has no INDEX D1 database');
  const bucket = config.r2_buckets.find((b: { binding: string }) => b.binding === 'MEDIA');
  if (!bucket?.bucket_name) throw new Error('wrangler.toml has no MEDIA R2 bucket');
  const main = {
    name: 'broadsheet',
    modules: true,
    scriptPath,
    modulesRoot: path.dirname(scriptPath),
    compatibilityDate: config.compatibility_date,
    kvNamespaces: { ARTICLES: namespace.id ?? namespace.binding },
    d1Databases: { INDEX: database.database_id ?? database.binding },
    r2Buckets: { MEDIA: bucket.bucket_name },
    // The Images binding, run locally on sharp.
    images: { binding: 'IMAGES' },
    bindings: { ...vars, PREVIEW_SECRET: TEST_PREVIEW_SECRET, PURGE_SECRET: TEST_PURGE_SECRET, ...options.vars },
  };
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: options.port ?? 0,
    // Show what the runtime itself reports (an uncaught error, a limit hit), not just our logs.
    log: new Log(LogLevel.WARN),
    // No request.cf from the network (there is none here): the runtime's placeholder.
    cf: false,
    ...(options.inspectorPort && { inspectorPort: options.inspectorPort }),
    kvPersist: path.join(persist, 'v3', 'kv'),
    d1Persist: path.join(persist, 'v3', 'd1'),
    r2Persist: path.join(persist, 'v3', 'r2'),
    // The first worker takes every request no other worker's routes match.
    workers: [
      main,
      ...(options.variants ?? []).map((v) => ({ ...main, name: v.name, bindings: { ...main.bindings, ...v.vars }, routes: v.routes })),
      ...(options.extraWorkers ?? []).map((w) => ({
        name: w.name,
        modules: true,
        script: w.script,
        compatibilityDate: config.compatibility_date,
        routes: w.routes ?? [],
      })),
    ],
  });
  const url = (await mf.ready).href.replace(/\/$/, '');
  const kv = await mf.getKVNamespace('ARTICLES', 'broadsheet');
  const index = await mf.getD1Database('INDEX', 'broadsheet');
  const media = await mf.getR2Bucket('MEDIA', 'broadsheet');
  await applyMigrations(index, path.join(ROOT, database.migrations_dir ?? 'migrations'));
  return {
    url,
    mf,
    kv,
    index,
    media,
    persist,
    close: async () => {
      await mf.dispose();
      if (!options.persistTo) await rm(persist, { recursive: true, force: true });
    },
  };
}

/**
 * Applies the migrations not yet applied, recording them in wrangler's own
 * `d1_migrations` table, so `wrangler d1 migrations apply` on the same state
 * sees them as done (and the other way round).
 */
async function applyMigrations(db: WorkerServer['index'], dir: string): Promise<void> {
  await db.exec('CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)');
  const applied = new Set((await db.prepare('SELECT name FROM d1_migrations').all<{ name: string }>()).results.map((r) => r.name));
  for (const migration of await readD1Migrations(dir)) {
    if (applied.has(migration.name)) continue;
    await db.batch([
      ...migration.queries.map((q) => db.prepare(q)),
      db.prepare('INSERT INTO d1_migrations (name) VALUES (?1)').bind(migration.name),
    ]);
  }
}
