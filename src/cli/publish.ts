/**
 * `npm run publish -- [--local|--remote] [--dry-run] [files or folders…]`
 *
 * 1. Validates every file (articles, the banners file, the fronts file, the
 *    media the articles use) and uploads nothing if any is invalid.
 * 2. Reads what the namespace already holds (one `wrangler kv key list`) and
 *    which versions the D1 index holds, and skips everything whose content
 *    hash is unchanged in each.
 * 3. Uploads new media to the MEDIA bucket (`wrangler r2 bulk put`), and
 *    refuses new bytes under a published media name (D1's media table
 *    records what R2 holds). Then writes the rest through `wrangler kv bulk
 *    put`: banner copy and fronts, then articles with their content hash in
 *    the metadata.
 * 4. Writes the index rows of every article whose row is missing or at
 *    another version, the media rows, and the config files' versions, in one
 *    `wrangler d1 execute` (one transaction).
 * 5. Purges what changed from every cache (`purger.ts`): the articles' pages
 *    and every list they leave or join (the fronts among them), every
 *    article page for new banner copy, every front for a new fronts file.
 *    A failed purge is reported, never undoes the publish.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { previewPath } from '../content/preview-link.ts';
import { ARTICLES_TAG, FRONTS_TAG, INDEX_TAG, tagsForChange } from '../content/cache-tags.ts';
import { indexRow } from '../storage/index-rows.ts';
import { aliasesAmongStatement, configFileStatement, inlineStatement, mediaRowsStatement, removeSlugsStatements } from '../storage/index-sql.ts';
import { BANNERS_KEY, FRONTS_KEY, revisionOf, toMetadata } from '../storage/kv-format.ts';
import { runCommand } from './command.ts';
import { formatProblem, lineOf, loadContent, type ArticleFile, type FileProblem } from './content.ts';
import { chunkedWriteStatements, describeTarget, executeIndexScript, nextRevision, queryIndex, readIndexed } from './index-writer.ts';
import { mediaBucketName, mediaRow, readMediaManifest, uploadMedia } from './media.ts';
import { badTargets, purgeChanged, purgeTargetsFromEnv, settleMsFromConfig, type PurgeTargets } from './purger.ts';
import { deleteKvKeys, projectWrangler, runOrThrow, targetArgs, type Target, type WranglerRunner } from './wrangler.ts';

export interface PublishOptions {
  /** Project root: where wrangler and wrangler.toml live. */
  root: string;
  /** Where slugs are counted from; `<root>/articles` unless given. */
  contentRoot?: string;
  paths: string[];
  target: Target;
  dryRun?: boolean;
  runner: WranglerRunner;
  log: (line: string) => void;
  /** Signs preview links for drafts; none are printed without it. */
  previewSecret?: string;
  /** Origin preview links start with. */
  previewOrigin?: string;
  /** The clock, for what counts as scheduled; the real one unless a test sets it. */
  now?: number;
  /** Caches to purge once the content is live; none when absent. */
  purge?: PurgeTargets;
  /** What sends the purge requests (tests inject their own). */
  fetch?: typeof globalThis.fetch;
  /** How long after the first purge to purge again (`settleMsFromConfig`); none when absent. */
  settleMs?: number;
}

/** 1.2 MB, 340 KB: sizes as an editor reads them. */
function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} KB`;
}

/** One `wrangler kv bulk put` entry. */
interface BulkEntry {
  key: string;
  value: string;
  metadata?: object;
}

type Change = 'added' | 'updated' | 'unchanged';

/** KV accepts up to 10,000 pairs and 100 MB per bulk write; stay well inside both. */
const BATCH_ENTRIES = 1000;
const BATCH_BYTES = 50 * 1024 * 1024;

/** Validates, plans, then uploads. Returns the process exit code. */
export async function publish(options: PublishOptions): Promise<number> {
  const { root, target, runner, log } = options;
  const contentRoot = options.contentRoot ?? path.join(root, 'articles');
  const where = target.remote ? 'remote KV and R2' : `local KV and R2${target.persistTo ? ` (${target.persistTo})` : ''}`;
  const content = await loadContent(contentRoot, options.paths.length ? options.paths : [contentRoot]);
  for (const problem of content.problems) log(formatProblem(problem));
  const refuse = (problems: (FileProblem | string)[]) => {
    log(`\n${problems.length} problem${problems.length === 1 ? '' : 's'} found; nothing was uploaded.`);
    return 1;
  };
  const errors = content.problems.filter((p) => p.severity === 'error');
  const unreachable = options.purge ? badTargets(options.purge) : [];
  for (const url of unreachable) log(`PURGE_URLS: ${JSON.stringify(url)} is not an http(s) URL`);
  if (errors.length || unreachable.length) return refuse([...errors, ...unreachable]);

  const existing = await listExisting(runner, target);
  const slugs = content.articles.map((a) => a.article.slug);
  // A published article named as another's alias has moved there: its key and row go, its address redirects.
  const moved = [...new Set(content.articles.flatMap((a) => a.article.aliases))];
  const indexed = await readIndexed(runner, target, [...slugs, ...moved]);
  const clashes = await aliasClashes(runner, target, content.articles);
  for (const line of clashes) log(line);
  if (clashes.length) return refuse(clashes);
  const moves = moved.filter((slug) => existing.has(slug) || indexed.has(slug));
  const change = (present: boolean, current: string | undefined, hash: string): Change =>
    (!present ? 'added' : current === hash ? 'unchanged' : 'updated');
  const changeOf = (key: string, hash: string) => change(existing.has(key), existing.get(key)?.hash, hash);

  // Media URLs are served as immutable: a name, once published, must keep its bytes. What R2 holds
  // is recorded in D1's media table; before media:migrate, what KV holds (its metadata hash) counts too.
  const recorded = content.media.length ? await readMediaManifest(runner, target, content.media.map((m) => m.name)) : new Map<string, string>();
  const media = content.media.map((m) => {
    const inR2 = recorded.get(m.name);
    const inKv = existing.get(m.key)?.hash;
    const held = inR2 ?? inKv;
    return { ...m, change: (held === undefined || (inR2 === undefined && held === m.hash) ? 'added' : held === m.hash ? 'unchanged' : 'updated') as Change };
  });
  const conflicts: string[] = [];
  for (const m of media) {
    if (m.change === 'updated') {
      conflicts.push(`${path.relative(process.cwd(), m.file)}:1: /media/${m.name} is already published with different content; ` +
        'media are cached as immutable, so save the new version under a new name and point the article at it');
    }
  }
  for (const line of conflicts) log(line);
  if (conflicts.length) return refuse(conflicts);

  // The index row is current when it holds this hash as the editor's write at the revision KV records;
  // a row a reader wrote first (between an earlier run's KV and D1 writes) is claimed again.
  const indexChangeOf = (slug: string, hash: string): Change => {
    const held = indexed.get(slug);
    if (!held) return 'added';
    if (held.hash !== hash) return 'updated';
    const claimed = held.indexedBy === undefined || (held.indexedBy === 'editor' && held.revision === (existing.get(slug)?.revision ?? held.revision));
    return claimed ? 'unchanged' : 'updated';
  };
  const articles = content.articles.map((a) => ({
    ...a, change: changeOf(a.article.slug, a.hash), indexChange: indexChangeOf(a.article.slug, a.hash),
  }));
  // The editors' config files: each one KV key, recorded in config_files for the worker's freshness check.
  const configs = [
    ...(content.banners ? [{ ...content.banners, key: BANNERS_KEY, label: 'banner copy' }] : []),
    ...(content.fronts ? [{ ...content.fronts, key: FRONTS_KEY, label: 'editions and fronts' }] : []),
  ].map((f) => ({ ...f, change: changeOf(f.key, f.hash) }));
  const changedConfigs = configs.filter((f) => f.change !== 'unchanged');
  const toIndex = articles.filter((a) => a.indexChange !== 'unchanged');
  const now = options.now ?? Date.now();

  // One revision for everything this run writes, from D1's counter, taken before KV is written.
  const writes = media.some((m) => m.change === 'added') || changedConfigs.length > 0 || toIndex.length > 0 || moves.length > 0 ||
    articles.some((a) => a.change !== 'unchanged');
  const revision = writes && !options.dryRun ? await nextRevision(runner, target) : undefined;
  const entries: BulkEntry[] = [
    ...changedConfigs.map((f) => ({ key: f.key, value: f.source, metadata: { v: 1, hash: f.hash, ...(revision && { rev: revision }) } })),
    ...articles.filter((a) => a.change !== 'unchanged').map((a) => ({
      key: a.article.slug, value: a.source, metadata: toMetadata(a.article, a.hash, revision),
    })),
  ];
  // A row follows the revision KV holds: this run's for what it uploads, the key's own for the rest.
  const rows = toIndex.map((a) => indexRow(a.article, a.hash, a.text, a.change === 'unchanged' ? (existing.get(a.article.slug)?.revision ?? revision ?? null) : (revision ?? null)));
  const newMedia = media.filter((m) => m.change === 'added');
  if (!options.dryRun) {
    // Media first, so no page that shows them is live before they are.
    if (newMedia.length) await uploadMedia(runner, target, await mediaBucketName(root, target.env), newMedia);
    await uploadInBatches(runner, target, entries);
    try {
      await executeIndexScript(runner, target, [
        ...(newMedia.length ? [mediaRowsStatement(newMedia.map((m) => mediaRow(m, 'publish')))] : []),
        ...chunkedWriteStatements(rows, { writer: 'editor', trustMs: 0 }),
        // After the rows, whose aliases the moved articles' old aliases have just been moved on to.
        ...removeSlugsStatements(moves, { writer: 'editor', trustMs: 0 }, revision ?? null),
        ...changedConfigs.map((f) => configFileStatement(f.key, f.hash, revision ?? null)),
      ]);
    } catch (error) {
      log(`${error instanceof Error ? error.message : error}`);
      log(`\nKV was updated, but the index in ${describeTarget(target)} was not: run the same command again (KV will be skipped, the index written).`);
      return 1;
    }
    // The index already redirects them, whatever KV still holds.
    await deleteKvKeys(runner, target, moves.filter((slug) => existing.has(slug)));
  }

  log(`${options.dryRun ? 'Would publish to' : 'Published to'} ${where}:`);
  for (const a of articles) {
    const notes = [
      ...(a.article.draft ? ['draft'] : []),
      ...(!a.article.draft && Date.parse(a.article.date) > now ? [`scheduled for ${new Date(a.article.date).toISOString()}`] : []),
      ...(a.change === 'unchanged' && a.indexChange !== 'unchanged' ? [`index row ${a.indexChange === 'added' ? 'added' : 'updated'}`] : []),
    ];
    log(`  ${a.change.padEnd(9)}  ${a.article.slug}${notes.length ? `  (${notes.join('; ')})` : ''}`);
  }
  for (const slug of moves) log(`  ${'moved'.padEnd(9)}  ${slug} → ${content.articles.find((a) => a.article.aliases.includes(slug))!.article.slug} (now a 301)`);
  for (const m of media) log(`  ${m.change.padEnd(9)}  /media/${m.name} (${formatBytes(m.size)}${m.width ? `, ${m.width}×${m.height}` : ''})`);
  for (const f of configs) log(`  ${f.change.padEnd(9)}  ${f.key} (${f.label})`);
  const count = (change: Change) => articles.filter((a) => a.change === change).length;
  log(`${count('added')} added, ${count('updated')} updated, ${count('unchanged')} unchanged` +
    ` (articles); ${newMedia.length} media added to R2; target: ${where}` +
    `${options.dryRun ? '; dry run, nothing was uploaded' : ''}.`);
  log(`Index: ${rows.length} row${rows.length === 1 ? '' : 's'} ${options.dryRun ? 'would be written' : 'written'} in ${describeTarget(target)}` +
    ` (${rows.filter((r) => !indexed.has(r.slug)).length} added, ${rows.filter((r) => indexed.has(r.slug)).length} updated).`);

  const changed = articles.filter((a) => a.change !== 'unchanged' || a.indexChange !== 'unchanged');
  const tags = changed.flatMap((a) => {
    const row = indexRow(a.article, a.hash, '');
    const before = indexed.get(a.article.slug);
    // A row read without its lists (an import too large to name) forces the broad tags.
    if (before && !before.version) return [INDEX_TAG, ...tagsForChange(a.article.slug, null, null, now)];
    return tagsForChange(a.article.slug, before?.version ?? null, { ...row, draft: row.draft === 1, corrected: row.corrections.length > 0 }, now);
  });
  for (const slug of moves) tags.push(...tagsForChange(slug, indexed.get(slug)?.version ?? null, null, now));
  // Banner copy shows on every article page; the fronts file on the fronts alone.
  if (changedConfigs.some((f) => f.key === BANNERS_KEY)) tags.push(ARTICLES_TAG);
  if (changedConfigs.some((f) => f.key === FRONTS_KEY)) tags.push(FRONTS_TAG);
  await purgeChanged(tags, target, options, log);

  const drafts = articles.filter((a) => a.article.draft);
  if (drafts.length) {
    if (!options.previewSecret) {
      log('Drafts are hidden from readers. Set PREVIEW_SECRET to print preview links for them.');
    } else {
      log('Drafts are hidden from readers. Preview links (valid for 7 days):');
      for (const a of drafts) {
        log(`  ${options.previewOrigin ?? ''}${await previewPath(options.previewSecret, a.article.slug, Date.now())}`);
      }
    }
  }
  return 0;
}

/**
 * What the index says against this set's slugs and aliases: an alias that
 * already leads to an article outside the set, and a slug that is an alias
 * of one (the set's own articles are checked against each other on load).
 * Each is a `file:line` problem.
 */
async function aliasClashes(runner: WranglerRunner, target: Target, articles: ArticleFile[]): Promise<string[]> {
  const names = [...new Set(articles.flatMap((a) => [a.article.slug, ...a.article.aliases]))];
  if (names.length === 0) return [];
  const bySlug = new Map(articles.map((a) => [a.article.slug, a]));
  const held = new Map<string, string>();
  // Named a thousand at a time, so the statement stays well within D1's size limit.
  for (let i = 0; i < names.length; i += 1000) {
    const rows = await queryIndex<{ alias: string; slug: string }>(runner, target, inlineStatement(aliasesAmongStatement(names.slice(i, i + 1000))));
    for (const row of rows) held.set(row.alias, row.slug);
  }
  const problems: string[] = [];
  const problem = (a: ArticleFile, needle: string, message: string) =>
    problems.push(formatProblem({ file: a.file, line: lineOf(a.source, needle), severity: 'error', message }));
  for (const a of articles) {
    for (const alias of a.article.aliases) {
      const owner = held.get(alias);
      if (owner !== undefined && owner !== a.article.slug && !bySlug.has(owner)) {
        problem(a, alias, `alias "${alias}" already leads to ${owner}: an old address can lead to one article only (remove it from ${owner}'s aliases first)`);
      }
    }
    const owner = held.get(a.article.slug);
    if (owner !== undefined && !bySlug.has(owner)) problem(a, a.article.slug, `slug "${a.article.slug}" is an alias of ${owner}: remove it from ${owner}'s aliases first`);
  }
  return problems;
}

/** Every key in the target namespace with the hash and revision its metadata records (one `wrangler kv key list`). */
export async function listExisting(runner: WranglerRunner, target: Target): Promise<Map<string, { hash?: string; revision?: number }>> {
  const { stdout } = await runOrThrow(runner, ['kv', 'key', 'list', ...targetArgs(target)]);
  const start = stdout.indexOf('[');
  let keys: { name: string; metadata?: { hash?: unknown } }[];
  try {
    keys = JSON.parse(stdout.slice(start));
  } catch {
    throw new Error(`could not read the key list wrangler printed:\n${stdout.slice(0, 500)}`);
  }
  return new Map(keys.map((k) => {
    const revision = revisionOf(k.metadata);
    return [k.name, { ...(typeof k.metadata?.hash === 'string' && { hash: k.metadata.hash }), ...(revision !== null && { revision }) }];
  }));
}

async function uploadInBatches(runner: WranglerRunner, target: Target, entries: BulkEntry[]): Promise<void> {
  if (!entries.length) return;
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
      const size = entry.value.length + 1200;
      if (batch.length >= BATCH_ENTRIES || bytes + size > BATCH_BYTES) await flush();
      batch.push(entry);
      bytes += size;
    }
    await flush();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A secret the worker and this command share: from the environment, or for
 * local publishing the one `wrangler dev` reads from .dev.vars, created (with
 * a random value) when missing so previews and the purge route work on a
 * fresh clone.
 */
async function sharedSecret(root: string, name: 'PREVIEW_SECRET' | 'PURGE_SECRET', target: Target, log: (line: string) => void): Promise<string | undefined> {
  if (process.env[name]) return process.env[name];
  if (target.remote) return undefined;
  const file = path.join(root, '.dev.vars');
  const current = await readFile(file, 'utf8').catch(() => '');
  const found = new RegExp(`^${name}\\s*=\\s*"?([^"\\n]+)"?\\s*$`, 'm').exec(current)?.[1];
  if (found) return found;
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${current}${current && !current.endsWith('\n') ? '\n' : ''}${name}=${secret}\n`);
  log(`Wrote a random ${name} to .dev.vars, for local dev.`);
  return secret;
}

/** Where this run purges: the environment's targets, with the local purge secret when publishing locally. */
export async function localPurgeTargets(root: string, target: Target, dryRun: boolean, log: (line: string) => void): Promise<PurgeTargets> {
  const targets = await purgeTargetsFromEnv(root, target.remote, process.env, target.env);
  const secret = dryRun ? process.env.PURGE_SECRET : await sharedSecret(root, 'PURGE_SECRET', target, log);
  return { ...targets, ...(secret && { secret }) };
}

if (import.meta.filename === process.argv[1]) {
  await runCommand('publish', '[--local|--remote] [--dry-run] [files or folders…]', async (parsed, root, log) => {
    const origin = parsed.target.remote ? process.env.SITE_URL : 'http://127.0.0.1:8787';
    return publish({
      root,
      paths: parsed.positionals,
      target: parsed.target,
      dryRun: parsed.dryRun,
      runner: projectWrangler(root),
      log,
      previewSecret: parsed.dryRun ? process.env.PREVIEW_SECRET : await sharedSecret(root, 'PREVIEW_SECRET', parsed.target, log),
      purge: await localPurgeTargets(root, parsed.target, parsed.dryRun, log),
      settleMs: await settleMsFromConfig(root, parsed.target.env),
      ...(origin && { previewOrigin: origin }),
    });
  });
}
