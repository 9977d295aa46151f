/**
 * `npm run purge -- [--local|--remote] [--dry-run] [--everything] <tags or slugs>…`
 *
 * Purges caches by tag, as publishing does, for when a publish's purge
 * failed (it prints this command) or a cache must be emptied by hand. A
 * word with a `:` or one of the broad tags (`articles`, `index`, `front`, …)
 * is a tag; anything else is an article's slug, which purges its pages and
 * every list the index has it on. `--everything` empties every cache.
 */
import {
  ARTICLES_TAG, FEED_TAG, FRONT_TAG, INDEX_TAG, ROBOTS_TAG, SEARCH_TAG, SITEMAP_TAG, isValidTag, tagsForChange,
} from '../content/cache-tags.ts';
import { MAX_PURGE_TAGS } from '../content/purge-request.ts';
import { isValidSlug } from '../content/slug.ts';
import { runCommand } from './command.ts';
import { readIndexed } from './index-writer.ts';
import { localPurgeTargets } from './publish.ts';
import { badTargets, purgeChanged, reportPurges, sendPurges, type PurgeTargets } from './purger.ts';
import { projectWrangler, type Target, type WranglerRunner } from './wrangler.ts';

/** Tags without a `:` that name a group of responses rather than an article. */
const BROAD_TAGS = new Set([ARTICLES_TAG, INDEX_TAG, FRONT_TAG, FEED_TAG, SEARCH_TAG, SITEMAP_TAG, ROBOTS_TAG]);

export interface PurgeOptions {
  words: string[];
  everything: boolean;
  target: Target;
  dryRun?: boolean;
  runner: WranglerRunner;
  log: (line: string) => void;
  purge: PurgeTargets;
  fetch?: typeof globalThis.fetch;
  now?: number;
}

/** Purges what `words` name. Returns the exit code: 0 when every cache purged, 1 when one failed, 2 for bad input. */
export async function purge(options: PurgeOptions): Promise<number> {
  const { words, everything, log, target } = options;
  if (everything === (words.length > 0)) {
    log('purge: name tags or slugs, or give --everything (not both)');
    return 2;
  }
  const bad = [...words.filter((w) => !isValidTag(w) || (!w.includes(':') && !BROAD_TAGS.has(w) && !isValidSlug(w))), ...badTargets(options.purge)];
  for (const word of bad) log(`purge: ${JSON.stringify(word)} is not a tag, a slug or an http(s) URL`);
  if (bad.length) return 2;
  if (![options.purge.worker, ...options.purge.proxies].some(Boolean)) {
    log(`purge: no cache to purge. Set PURGE_URLS${target.remote ? ', or SITE_URL (or PURGE_ORIGIN) with PURGE_SECRET' : ' (or PURGE_ORIGIN)'}.`);
    return 2;
  }
  if (everything) {
    if (options.dryRun) {
      log('Would purge everything.');
      return 0;
    }
    log('Purging everything:');
    const results = await sendPurges({ everything: true }, options.purge, { ...(options.fetch && { fetch: options.fetch }) });
    return reportPurges(results, { everything: true }, target.remote, log) ? 0 : 1;
  }
  const slugs = words.filter((w) => !w.includes(':') && !BROAD_TAGS.has(w));
  const indexed = slugs.length ? await readIndexed(options.runner, target, slugs) : new Map();
  const now = options.now ?? Date.now();
  const tags = words.flatMap((w) => {
    if (!slugs.includes(w)) return [w];
    const row = indexed.get(w)?.version ?? null;
    if (!row) log(`  note: ${w} is not in the index; purging its pages only`);
    return tagsForChange(w, row, row, now);
  });
  if (tags.length > MAX_PURGE_TAGS) log(`  note: ${tags.length} tags is more than one purge takes; broader tags are purged instead`);
  return (await purgeChanged(tags, target, options, log)) ? 0 : 1;
}

if (import.meta.filename === process.argv[1]) {
  await runCommand('purge', '[--local|--remote] [--dry-run] [--everything] <tags or slugs>…', async (parsed, root, log) => purge({
    words: parsed.positionals,
    everything: parsed.flags.has('everything'),
    target: parsed.target,
    dryRun: parsed.dryRun,
    runner: projectWrangler(root),
    log,
    purge: await localPurgeTargets(root, parsed.target, parsed.dryRun, log),
  }), ['everything']);
}
