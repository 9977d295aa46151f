/**
 * `npm run reindex -- [--local|--remote] [--dry-run]`
 *
 * Rebuilds the D1 index from KV, the source of truth: lists every key, reads
 * every article file (`wrangler kv bulk get`, in batches), parses each with
 * the worker's own parser, and replaces the whole index in one
 * `wrangler d1 execute` (one transaction: readers see the old index or the
 * new one, never half). Files that do not parse are reported and left out.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArticle } from '../content/article.ts';
import { prepareBody } from '../content/markdown.ts';
import { isValidSlug } from '../content/slug.ts';
import { indexRow, type IndexRow } from '../storage/index-rows.ts';
import { clearIndexStatements } from '../storage/index-sql.ts';
import { contentHash } from '../storage/kv-format.ts';
import { runCommand } from './command.ts';
import { chunkedWriteStatements, describeTarget, executeIndexScript } from './index-writer.ts';
import { listExisting } from './publish.ts';
import { projectWrangler, runOrThrow, targetArgs, type Target, type WranglerRunner } from './wrangler.ts';

export interface ReindexOptions {
  target: Target;
  dryRun?: boolean;
  runner: WranglerRunner;
  log: (line: string) => void;
  now?: number;
}

/** Keys per `wrangler kv bulk get`. */
const READ_BATCH = 5000;

/** Rebuilds the index. Returns the process exit code. */
export async function reindex({ target, dryRun = false, runner, log, now = Date.now() }: ReindexOptions): Promise<number> {
  const slugs = [...(await listExisting(runner, target)).keys()].filter(isValidSlug);
  const rows: IndexRow[] = [];
  let invalid = 0;
  for (let i = 0; i < slugs.length; i += READ_BATCH) {
    const values = await readValues(runner, target, slugs.slice(i, i + READ_BATCH));
    for (const [slug, source] of values) {
      const parsed = parseArticle(source, slug);
      if (!parsed.ok) {
        invalid++;
        const first = parsed.problems.find((p) => p.severity === 'error') ?? parsed.problems[0]!;
        log(`  skipped    ${slug}: line ${first.line}: ${first.message}`);
        continue;
      }
      rows.push(indexRow({ ...parsed.article, slug }, await contentHash(source), prepareBody(parsed.article.body).text()));
    }
  }
  const drafts = rows.filter((r) => r.draft).length;
  const scheduled = rows.filter((r) => !r.draft && r.publishedAt > now).length;
  if (!dryRun) {
    await executeIndexScript(runner, target, [...clearIndexStatements(), ...chunkedWriteStatements(rows, { writer: 'editor', now, trustMs: 0 })]);
  }
  log(`${dryRun ? 'Would rebuild' : 'Rebuilt'} the index in ${describeTarget(target)} from ${slugs.length} article key(s): ` +
    `${rows.length} indexed (${drafts} draft, ${scheduled} scheduled), ${invalid} skipped as invalid.`);
  return invalid ? 1 : 0;
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
  await runCommand('reindex', '[--local|--remote] [--dry-run]', async (parsed, _root, log) => {
    if (parsed.positionals.length) throw new Error('reindex takes no file or slug: it rebuilds the whole index from KV');
    return reindex({ target: parsed.target, dryRun: parsed.dryRun, runner: projectWrangler(_root), log });
  });
}
