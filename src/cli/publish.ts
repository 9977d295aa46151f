/**
 * `npm run publish -- [--local|--remote] [files or folders…]`
 *
 * Validates every file first and uploads nothing if any is invalid. Then
 * writes articles (with index metadata) and the media they show through
 * `wrangler kv bulk put`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toMetadata } from '../store.ts';
import { formatProblem, loadContent, type ContentSet } from './content.ts';
import { projectWrangler, runOrThrow, targetArgs, type Target, type WranglerRunner } from './wrangler.ts';

export interface PublishOptions {
  /** Project root: where `articles/` and wrangler live. */
  root: string;
  paths: string[];
  target: Target;
  runner: WranglerRunner;
  log: (line: string) => void;
}

/** One `wrangler kv bulk put` entry. */
interface BulkEntry {
  key: string;
  value: string;
  metadata?: object;
  base64?: boolean;
}

/** KV accepts up to 10,000 pairs and 100 MB per bulk write; stay well inside both. */
const BATCH_ENTRIES = 1000;
const BATCH_BYTES = 50 * 1024 * 1024;

/** Validates, then uploads. Returns the process exit code. */
export async function publish(options: PublishOptions): Promise<number> {
  const { root, target, runner, log } = options;
  const contentRoot = path.join(root, 'articles');
  const content = await loadContent(contentRoot, options.paths.length ? options.paths : [contentRoot]);
  for (const problem of content.problems) log(formatProblem(problem));
  const errors = content.problems.filter((p) => p.severity === 'error').length;
  if (errors) {
    log(`\n${errors} problem${errors === 1 ? '' : 's'} found; nothing was uploaded.`);
    return 1;
  }

  const entries = bulkEntries(content);
  await uploadInBatches(runner, target, entries);

  const where = target.remote ? 'remote KV' : 'local KV';
  for (const { article } of content.articles) {
    log(`  ${article.draft ? 'draft  ' : 'published'}  ${article.slug}`);
  }
  log(`Published ${content.articles.length} article(s) and ${content.media.length} media file(s) to ${where}.`);
  return 0;
}

function bulkEntries(content: ContentSet): BulkEntry[] {
  return [
    ...content.media.map((m) => ({ key: m.key, value: Buffer.from(m.bytes).toString('base64'), base64: true })),
    ...content.articles.map((a) => ({ key: a.article.slug, value: a.source, metadata: toMetadata(a.article, a.hash) })),
  ];
}

async function uploadInBatches(runner: WranglerRunner, target: Target, entries: BulkEntry[]): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-publish-'));
  try {
    let batch: BulkEntry[] = [];
    let bytes = 0;
    let n = 0;
    const flush = async () => {
      if (!batch.length) return;
      const file = path.join(dir, `batch-${n++}.json`);
      await writeFile(file, JSON.stringify(batch));
      await runOrThrow(runner, ['kv', 'bulk', 'put', file, ...targetArgs(target)]);
      batch = [];
      bytes = 0;
    };
    for (const entry of entries) {
      const size = entry.value.length + 200;
      if (batch.length >= BATCH_ENTRIES || bytes + size > BATCH_BYTES) await flush();
      batch.push(entry);
      bytes += size;
    }
    await flush();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Parses the command line shared by publish and unpublish. */
export function parseTargetArgs(argv: string[]): { target: Target; positionals: string[]; dryRun: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      local: { type: 'boolean' },
      remote: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'persist-to': { type: 'string' },
    },
  });
  if (values.local && values.remote) throw new Error('choose one of --local and --remote');
  return {
    target: { remote: values.remote === true, ...(values['persist-to'] && { persistTo: path.resolve(values['persist-to']) }) },
    positionals,
    dryRun: values['dry-run'] === true,
  };
}

async function main(): Promise<void> {
  const root = path.resolve(import.meta.dirname, '..', '..');
  let parsed;
  try {
    parsed = parseTargetArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`publish: ${error instanceof Error ? error.message : error}\nusage: npm run publish -- [--local|--remote] [files or folders…]`);
    process.exit(2);
  }
  try {
    process.exitCode = await publish({
      root,
      paths: parsed.positionals,
      target: parsed.target,
      runner: projectWrangler(root),
      log: (line) => console.log(line),
    });
  } catch (error) {
    console.error(`publish failed: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}

if (import.meta.filename === process.argv[1]) await main();
