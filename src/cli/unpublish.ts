/**
 * `npm run unpublish -- [--local|--remote] [--gone [--reason "…"]] <slug>…`
 *
 * Deletes articles from KV, then their rows from the D1 index (leaving a
 * tombstone, so a reader still seeing the old file in a KV cache cannot bring
 * it back). Slugs are checked first; nothing is deleted if any is malformed.
 * A plain unpublish leaves a 404; `--gone` is a takedown: the article's page,
 * gallery and JSON (and its old slugs) answer 410 Gone, saying it was
 * removed and, with `--reason`, why. Publishing the slug again undoes either.
 */
import { tagsForChange } from '../content/cache-tags.ts';
import { isValidSlug } from '../content/slug.ts';
import { BAD_CHARACTERS } from '../content/schema.ts';
import { removeSlugsStatements, type Takedown } from '../storage/index-sql.ts';
import { runCommand } from './command.ts';
import { describeTarget, executeIndexScript, nextRevision, readIndexed } from './index-writer.ts';
import { listExisting, localPurgeTargets } from './publish.ts';
import { purgeChanged, settleMsFromConfig, type PurgeTargets } from './purger.ts';
import { deleteKvKeys, projectWrangler, type Target, type WranglerRunner } from './wrangler.ts';

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
  /** A takedown: the slugs answer 410 Gone, with this reason (if any), instead of 404. */
  takedown?: Takedown;
}

/** The longest takedown reason accepted: a sentence or two, shown on the 410 page. */
export const MAX_REASON_LENGTH = 500;

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
  const reason = options.takedown?.reason ?? null;
  const badReason = reason === null ? null
    : reason.trim() === '' ? 'is empty: leave --reason out, or say why the article was taken down'
    : reason.length > MAX_REASON_LENGTH ? `is ${reason.length} characters; the limit is ${MAX_REASON_LENGTH}`
    : BAD_CHARACTERS.test(reason) ? 'contains a control or invalid character' : null;
  if (badReason) log(`unpublish: --reason ${badReason}`);
  if (bad.length || badReason) {
    log('Nothing was deleted.');
    return 1;
  }
  const takedown = options.takedown ? { reason: reason?.trim() ?? null } : null;
  const where = target.remote ? 'remote KV and the remote index' : 'local KV and the local index';
  const existing = await listExisting(runner, target);
  const indexed = await readIndexed(runner, target, normalised);
  // An article can be in the index without its key (a deletion that bypassed this command): remove the row all the same.
  const present = normalised.filter((s) => existing.has(s) || indexed.has(s));
  for (const slug of normalised) if (!present.includes(slug)) log(`  not found  ${slug}`);
  if (present.length && !dryRun) {
    await deleteKvKeys(runner, target, present.filter((s) => existing.has(s)));
    try {
      // The tombstones' revision: newer than any version a reader could still see in KV.
      const revision = await nextRevision(runner, target);
      await executeIndexScript(runner, target, removeSlugsStatements(present, { writer: 'editor', trustMs: 0 }, revision, takedown));
    } catch (error) {
      log(`${error instanceof Error ? error.message : error}`);
      log(`\nThe articles were deleted from KV, but not from the index in ${describeTarget(target)}: run the same command again.`);
      return 1;
    }
  }
  for (const slug of present) log(`  ${dryRun ? 'would remove' : 'removed'}  ${slug}`);
  log(`${present.length} article(s) ${dryRun ? 'would be ' : ''}removed from ${where}${
    takedown ? `; ${dryRun ? 'they would answer' : 'they now answer'} 410 Gone${takedown.reason ? ` (reason: ${takedown.reason})` : ''}` : ''}.`);
  // Its page (now a 404), and every list, feed and sitemap it was on.
  const tags = present.flatMap((slug) => tagsForChange(slug, indexed.get(slug)?.version ?? null, null, now));
  await purgeChanged(tags, target, options, log);
  return present.length === normalised.length ? 0 : 1;
}

if (import.meta.filename === process.argv[1]) {
  await runCommand('unpublish', '[--local|--remote] [--dry-run] [--gone [--reason "…"]] <slug>…', async (parsed, root, log) => {
    const reason = parsed.options.get('reason');
    if (reason !== undefined && !parsed.flags.has('gone')) {
      log('unpublish: --reason goes with --gone (a takedown, answered 410 with the reason); nothing was deleted.');
      return 2;
    }
    return unpublish({
      slugs: parsed.positionals, target: parsed.target, dryRun: parsed.dryRun, runner: projectWrangler(root), log,
      purge: await localPurgeTargets(root, parsed.target, parsed.dryRun, log),
      settleMs: await settleMsFromConfig(root, parsed.target.env),
      ...(parsed.flags.has('gone') && { takedown: { reason: reason ?? null } }),
    });
  }, ['gone'], ['reason']);
}
