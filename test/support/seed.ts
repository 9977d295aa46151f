/**
 * Seeding a worker's KV for end-to-end runs: the shipped sample articles and
 * their media exactly as `npm run publish` would write them, plus generated
 * articles for volume.
 */
import path from 'node:path';
import { parseArticle } from '../../src/article.ts';
import { loadContent } from '../../src/cli/content.ts';
import { contentHash, toMetadata } from '../../src/store.ts';
import { generatedArticle } from './generated.ts';
import { ROOT, type WorkerServer } from './worker-server.ts';

export { generatedArticle };

/** Writes `articles/` (articles, media, banners) into the worker's KV; returns the published slugs. */
export async function seedSamples(worker: WorkerServer): Promise<string[]> {
  const root = path.join(ROOT, 'articles');
  const content = await loadContent(root, [root]);
  if (content.problems.some((p) => p.severity === 'error')) throw new Error('articles/ does not validate');
  for (const m of content.media) await worker.kv.put(m.key, m.bytes, { metadata: { v: 1, hash: m.hash } });
  for (const a of content.articles) await worker.kv.put(a.article.slug, a.source, { metadata: toMetadata(a.article, a.hash) });
  return content.articles.filter((a) => !a.article.draft).map((a) => a.article.slug);
}

/** Writes `count` generated articles (with metadata) under `<section>/story-N`. */
export async function seedGenerated(worker: WorkerServer, count: number, bytes = 6000, section = 'generated'): Promise<string[]> {
  const slugs: string[] = [];
  const batch: Promise<void>[] = [];
  for (let n = 0; n < count; n++) {
    const slug = `${section}/story-${n}`;
    const source = generatedArticle(n, bytes, section);
    const parsed = parseArticle(source, slug);
    if (!parsed.ok) throw new Error(`generated article ${n} is invalid`);
    batch.push(worker.kv.put(slug, source, { metadata: toMetadata(parsed.article, await contentHash(source)) }));
    slugs.push(slug);
    if (batch.length >= 50) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
  return slugs;
}
