/**
 * `npm run reindex -- [--local|--remote] [--dry-run] [--all] [--restart]`
 *
 * Brings the D1 index in line with KV, the source of truth, while readers
 * keep reading: it walks every key in slug order, beside the index's rows,
 * a batch of {@link BATCH} keys at a time. A key whose content hash differs
 * from its row's (or has none) is read (`wrangler kv bulk get`), parsed with
 * the worker's own parser and written; a row whose key is gone is removed,
 * with a tombstone. Each batch is one `wrangler d1 execute`, a small
 * transaction, and records how far the walk got, so a reindex that stops
 * resumes there (`--restart` starts again from the top). Tombstones are kept:
 * they protect against readers still seeing removed files in KV's caches.
 * `--all` rewrites every row, to repair what hashes cannot see.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArticle } from '../content/article.ts';
import { prepareBody } from '../content/markdown.ts';
import { isValidSlug } from '../content/slug.ts';
import { indexRow, type IndexRow } from '../storage/index-rows.ts';
import {
  REINDEX_STATE_SQL, indexedPageStatement, inlineStatement, removeSlugsStatements, saveReindexStateStatement, type Statement,
} from '../storage/index-sql.ts';
import { contentHash } from '../storage/kv-format.ts';
import { runCommand } from './command.ts';
import { chunkedWriteStatements, describeTarget, executeIndexScript, nextRevision, queryIndex } from './index-writer.ts';
import { listExisting } from './publish.ts';
import { projectWrangler, runOrThrow, targetArgs, type Target, type WranglerRunner } from './wrangler.ts';

export interface ReindexOptions {
  target: Target;
  dryRun?: boolean;
  /** Rewrite every row, not only those whose hash differs. */
  all?: boolean;
  /** Ignore where an unfinished reindex stopped. */
  restart?: boolean;
  runner: WranglerRunner;
  log: (line: string) => void;
  now?: number;
  /** Keys per batch ({@link BATCH}); tests make it small. */
  batch?: number;
}

/** Keys per batch: one KV read and one D1 transaction each. */
export const BATCH = 1000;
/** Index rows read per query. */
const ROW_PAGE = 10_000;

interface Counts {
  keys: number;
  written: number;
  removed: number;
  invalid: number;
  drafts: number;
  scheduled: number;
}

/** Brings the index in line with KV. Returns the process exit code. */
export async function reindex({
  target, dryRun = false, all = false, restart = false, runner, log, now = Date.now(), batch: size = BATCH,
}: ReindexOptions): Promise<number> {
  const keys = [...(await listExisting(runner, target))].filter(([slug]) => isValidSlug(slug)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const revisionOf = new Map(keys.map(([slug, kv]) => [slug, kv.revision ?? null]));
  const saved = restart ? null : (await queryIndex<{ after: string | null }>(runner, target, REINDEX_STATE_SQL))[0]?.after ?? null;
  if (saved) log(`Resuming the reindex after ${saved} (--restart to start again).`);
  const rows = indexedRows(runner, target, saved ?? '');
  const counts: Counts = { keys: 0, written: 0, removed: 0, invalid: 0, drafts: 0, scheduled: 0 };
  // Removals need a revision newer than any version a reader may still see; taken once, when first needed.
  let revision: number | undefined;
  let pending = await rows.next();
  let progressSaved = saved !== null;
  const start = saved === null ? 0 : keys.findIndex(([slug]) => slug > saved);
  const todo = start === -1 ? [] : keys.slice(start);
  for (let i = 0; ; i += size) {
    const batch = todo.slice(i, i + size);
    const through = i + size >= todo.length ? null : batch.at(-1)![0];
    // The rows up to this batch's last key (all the rest, after the last batch).
    const held = new Map<string, { hash: string; revision: number | null }>();
    while (!pending.done && (through === null || pending.value.slug <= through)) {
      held.set(pending.value.slug, pending.value);
      pending = await rows.next();
    }
    const changed = batch.filter(([slug, kv]) => all || kv.hash === undefined || held.get(slug)?.hash !== kv.hash).map(([slug]) => slug);
    const inKv = new Set(batch.map(([slug]) => slug));
    const gone = [...held.keys()].filter((slug) => !inKv.has(slug));
    const written: IndexRow[] = [];
    for (const [slug, source] of changed.length ? await readValues(runner, target, changed) : []) {
      const parsed = parseArticle(source, slug);
      if (!parsed.ok) {
        counts.invalid++;
        const first = parsed.problems.find((p) => p.severity === 'error') ?? parsed.problems[0]!;
        log(`  skipped    ${slug}: line ${first.line}: ${first.message}`);
        continue;
      }
      const hash = await contentHash(source);
      // A key without publish metadata has to be read to be compared; it is written only if it differs.
      if (!all && held.get(slug)?.hash === hash) continue;
      const row = indexRow({ ...parsed.article, slug }, hash, prepareBody(parsed.article.body).text(), revisionOf.get(slug) ?? null);
      if (row.draft) counts.drafts++;
      else if (row.publishedAt > now) counts.scheduled++;
      written.push(row);
    }
    counts.keys += batch.length;
    // A batch that writes records how far the walk got, in the same transaction; the last one clears it.
    if (!dryRun && (written.length || gone.length || (through === null && progressSaved))) {
      if (gone.length && revision === undefined) revision = await nextRevision(runner, target);
      const statements: Statement[] = [
        ...chunkedWriteStatements(written, { writer: 'editor', trustMs: 0 }),
        ...removeSlugsStatements(gone, { writer: 'editor', trustMs: 0 }, revision ?? null),
        saveReindexStateStatement(through),
      ];
      await executeIndexScript(runner, target, statements);
      progressSaved = through !== null;
    }
    counts.written += written.length;
    counts.removed += gone.length;
    if (written.length || gone.length) {
      log(`  ${dryRun ? 'would write' : 'wrote'} ${written.length} row(s), ${dryRun ? 'would remove' : 'removed'} ${gone.length}` +
        ` (${counts.keys.toLocaleString('en')} of ${todo.length.toLocaleString('en')} keys)`);
    }
    if (through === null) break;
  }
  log(`${dryRun ? 'Would reindex' : 'Reindexed'} ${describeTarget(target)} from ${keys.length} article key(s): ` +
    `${counts.written} row(s) written (${counts.drafts} draft, ${counts.scheduled} scheduled), ${counts.removed} removed, ` +
    `${counts.invalid} skipped as invalid; the rest were current.`);
  return counts.invalid ? 1 : 0;
}

/** The index's rows after `after`, in slug order, read a page at a time. */
async function* indexedRows(runner: WranglerRunner, target: Target, after: string): AsyncGenerator<{ slug: string; hash: string; revision: number | null }> {
  let from = after;
  for (;;) {
    const page = await queryIndex<{ slug: string; hash: string; revision: number | null }>(runner, target, inlineStatement(indexedPageStatement(from, ROW_PAGE)));
    yield* page;
    if (page.length < ROW_PAGE) return;
    from = page.at(-1)!.slug;
  }
}

/** The text of each key that still exists, read with `wrangler kv bulk get`. */
async function readValues(runner: WranglerRunner, target: Target, keys: string[]): Promise<[string, string][]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-reindex-'));
  try {
    const file = path.join(dir, 'keys.json');
    await writeFile(file, JSON.stringify(keys));
    const { stdout } = await runOrThrow(runner, ['kv', 'bulk', 'get', file, ...targetArgs(target)]);
    let values: Record<string, { value: string | null } | null>;
    try {
      values = JSON.parse(stdout.slice(stdout.indexOf('{')));
    } catch {
      throw new Error(`could not read what wrangler kv bulk get printed:\n${stdout.slice(0, 500)}`);
    }
    return keys.flatMap((key) => {
      const value = values[key]?.value;
      return typeof value === 'string' ? [[key, value] as [string, string]] : [];
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.filename === process.argv[1]) {
  await runCommand('reindex', '[--local|--remote] [--dry-run] [--all] [--restart]', async (parsed, root, log) => {
    if (parsed.positionals.length) throw new Error('reindex takes no file or slug: it brings the whole index in line with KV');
    return reindex({
      target: parsed.target, dryRun: parsed.dryRun, all: parsed.flags.has('all'), restart: parsed.flags.has('restart'),
      runner: projectWrangler(root), log,
    });
  }, ['all', 'restart']);
}
