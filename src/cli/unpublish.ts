/**
 * `npm run unpublish -- [--local|--remote] <slug>…`
 *
 * Deletes articles from KV, then their rows from the D1 index (leaving a
 * tombstone, so a reader still seeing the old file in a KV cache cannot bring
 * it back). Slugs are checked first; nothing is deleted if any is malformed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tagsForChange } from '../content/cache-tags.ts';
import { isValidSlug } from '../content/slug.ts';
import { removeSlugsStatements } from '../storage/index-sql.ts';
import { runCommand } from './command.ts';
import { describeTarget, executeIndexScript, nextRevision, readIndexed } from './index-writer.ts';
import { listExisting, localPurgeTargets } from './publish.ts';
import { purgeChanged, settleMsFromConfig, type PurgeTargets } from './purger.ts';
import { projectWrangler, runOrThrow, targetArgs, type Target, type WranglerRunner } from './wrangler.ts';

export interface UnpublishOptions {
  slugs: string[];
  target: Target;
  dryRun?: boolean;
  runner: WranglerRunner;
  log: (line: string) => void;
  now?: number;
  /** Caches to purge once the articles are gone; none when absent. */
  purge?: PurgeTargets;
  fetch?: typeof globalThis.fetch;
  /** How long after the first purge to purge again; none when absent. */
  settleMs?: number;
}

/** Deletes the given articles. Returns the process exit code. */
export async function unpublish(options: UnpublishOptions): Promise<number> {
  const { slugs, target, dryRun = false, runner, log, now = Date.now() } = options;
  if (slugs.length === 0) {
    log('unpublish: name at least one slug, e.g. npm run unpublish -- --local world/americas/delta-floating-gardens');
    return 2;
  }
  // Accept what editors naturally paste: a file path or an article URL path.
  const normalised = slugs.map((s) => s.replace(/^(?:.*\/)?articles\//, '').replace(/\.md$/, ''));
  const bad = normalised.filter((s) => !isValidSlug(s));
  for (const slug of bad) log(`unpublish: "${slug}" is not a valid slug`);
  if (bad.length) {
    log('Nothing was deleted.');
    return 1;
  }
  const where = target.remote ? 'remote KV and the remote index' : 'local KV and the local index';
  const existing = await listExisting(runner, target);
  const indexed = await readIndexed(runner, target, normalised);
  // An article can be in the index without its key (a deletion that bypassed this command): remove the row all the same.
  const present = normalised.filter((s) => existing.has(s) || indexed.has(s));
  for (const slug of normalised) if (!present.includes(slug)) log(`  not found  ${slug}`);
  if (present.length && !dryRun) {
    const keys = present.filter((s) => existing.has(s));
    if (keys.length) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-unpublish-'));
      try {
        const file = path.join(dir, 'keys.json');
        await writeFile(file, JSON.stringify(keys));
        await runOrThrow(runner, ['kv', 'bulk', 'delete', file, '--force', ...targetArgs(target)]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    try {
      // The tombstones' revision: newer than any version a reader could still see in KV.
      const revision = await nextRevision(runner, target);
      await executeIndexScript(runner, target, removeSlugsStatements(present, { writer: 'editor', trustMs: 0 }, revision));
    } catch (error) {
      log(`${error instanceof Error ? error.message : error}`);
      log(`\nThe articles were deleted from KV, but not from the index in ${describeTarget(target)}: run the same command again.`);
      return 1;
    }
  }
  for (const slug of present) log(`  ${dryRun ? 'would remove' : 'removed'}  ${slug}`);
  log(`${present.length} article(s) ${dryRun ? 'would be ' : ''}removed from ${where}.`);
  // Its page (now a 404), and every list, feed and sitemap it was on.
  const tags = present.flatMap((slug) => tagsForChange(slug, indexed.get(slug)?.version ?? null, null, now));
  await purgeChanged(tags, target, options, log);
  return present.length === normalised.length ? 0 : 1;
}

if (import.meta.filename === process.argv[1]) {
  await runCommand('unpublish', '[--local|--remote] [--dry-run] <slug>…', async (parsed, root, log) =>
    unpublish({
      slugs: parsed.positionals, target: parsed.target, dryRun: parsed.dryRun, runner: projectWrangler(root), log,
      purge: await localPurgeTargets(root, parsed.target, parsed.dryRun, log),
      settleMs: await settleMsFromConfig(root, parsed.target.env),
    }));
}
