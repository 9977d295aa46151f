/**
 * Seeding a worker's KV and D1 index for end-to-end runs: the shipped sample
 * articles and their media exactly as `npm run publish` would write them, plus
 * generated articles for volume.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadContent } from '../src/cli/content.ts';
import { indexRow, type IndexRow } from '../src/storage/index-rows.ts';
import { NEXT_REVISION_SQL, removeSlugsStatements, writeRowsStatements } from '../src/storage/index-sql.ts';
import { BANNERS_KEY, FRONTS_KEY, toMetadata } from '../src/storage/kv-format.ts';
import { generatedArticle } from './generated.ts';
import { published } from './published.ts';
import { ROOT, type WorkerServer } from './worker-server.ts';

export { generatedArticle };

/** Rows per D1 batch: calls from Node are slow, rows are cheap. */
const ROWS_PER_BATCH = 200;

/** Writes index rows as the publish command does, in a few large batches. */
export async function indexRows(worker: WorkerServer, rows: IndexRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_BATCH) {
    const statements = writeRowsStatements(rows.slice(i, i + ROWS_PER_BATCH), { writer: 'editor', trustMs: 0 });
    await worker.index.batch(statements.map((s) => worker.index.prepare(s.sql).bind(...s.params)));
  }
}

/** The next revision from the index's counter, as the publish command takes one per run. */
export async function nextRevision(worker: WorkerServer): Promise<number> {
  return (await worker.index.prepare(NEXT_REVISION_SQL).first<number>('revision'))!;
}

/** Writes `articles/` (articles into KV and the index, media into R2); returns the published slugs. */
export async function seedSamples(worker: WorkerServer): Promise<string[]> {
  const root = path.join(ROOT, 'articles');
  const content = await loadContent(root, [root]);
  if (content.problems.some((p) => p.severity === 'error')) throw new Error('articles/ does not validate');
  const revision = await nextRevision(worker);
  for (const m of content.media) await worker.media.put(m.key, await readFile(m.file), { httpMetadata: { contentType: m.type } });
  for (const a of content.articles) await worker.kv.put(a.article.slug, a.source, { metadata: toMetadata(a.article, a.hash, revision) });
  await indexRows(worker, content.articles.map((a) => indexRow(a.article, a.hash, a.text, revision)));
  return content.articles.filter((a) => !a.article.draft).map((a) => a.article.slug);
}

/** Writes the shipped banners file (articles/banners.yaml: its rules and the sample copy test) as publish would. */
export async function seedBanners(worker: WorkerServer): Promise<void> {
  const root = path.join(ROOT, 'articles');
  const content = await loadContent(root, [root]);
  if (!content.banners) throw new Error('articles/banners.yaml is missing or does not validate');
  await worker.kv.put(BANNERS_KEY, content.banners.source, { metadata: { v: 1, hash: content.banners.hash } });
}

/** Writes the shipped fronts file (articles/fronts.yaml) as publish would, so `/` shows the editions' fronts. */
export async function seedFronts(worker: WorkerServer): Promise<void> {
  const root = path.join(ROOT, 'articles');
  const content = await loadContent(root, [root]);
  if (!content.fronts) throw new Error('articles/fronts.yaml is missing or does not validate');
  await worker.kv.put(FRONTS_KEY, content.fronts.source, { metadata: { v: 1, hash: content.fronts.hash } });
}

/** Writes `count` generated articles (KV with metadata, and index rows) under `<section>/story-N`. */
export async function seedGenerated(worker: WorkerServer, count: number, bytes = 6000, section = 'generated'): Promise<string[]> {
  const slugs: string[] = [];
  const rows: IndexRow[] = [];
  const batch: Promise<void>[] = [];
  const revision = await nextRevision(worker);
  for (let n = 0; n < count; n++) {
    const slug = `${section}/story-${n}`;
    const article = await published(slug, generatedArticle(n, bytes, section), revision);
    batch.push(worker.kv.put(slug, article.source, { metadata: article.metadata }));
    rows.push(article.row);
    slugs.push(slug);
    if (batch.length >= 50) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
  await indexRows(worker, rows);
  return slugs;
}

/** Takes `slug` down as `npm run unpublish -- --gone --reason` does, so it answers 410 with `reason`. */
export async function seedTakedown(worker: WorkerServer, slug: string, reason: string | null): Promise<void> {
  await worker.kv.delete(slug);
  const statements = removeSlugsStatements([slug], { writer: 'editor', trustMs: 0 }, await nextRevision(worker), { reason });
  await worker.index.batch(statements.map((s) => worker.index.prepare(s.sql).bind(...s.params)));
}
