/**
 * Seeding a worker's KV for end-to-end runs: the shipped sample articles and
 * their media exactly as `npm run publish` would write them, plus generated
 * articles for volume.
 */
import path from 'node:path';
import { parseArticle } from '../../src/article.ts';
import { loadContent } from '../../src/cli/content.ts';
import { contentHash, toMetadata } from '../../src/store.ts';
import { ROOT, type WorkerServer } from './worker-server.ts';

/** Writes `articles/` (articles, media, banners) into the worker's KV; returns the published slugs. */
export async function seedSamples(worker: WorkerServer): Promise<string[]> {
  const root = path.join(ROOT, 'articles');
  const content = await loadContent(root, [root]);
  if (content.problems.some((p) => p.severity === 'error')) throw new Error('articles/ does not validate');
  for (const m of content.media) await worker.kv.put(m.key, m.bytes, { metadata: { v: 1, hash: m.hash } });
  for (const a of content.articles) await worker.kv.put(a.article.slug, a.source, { metadata: toMetadata(a.article, a.hash) });
  return content.articles.filter((a) => !a.article.draft).map((a) => a.article.slug);
}

/** A plausible article of roughly `bytes` bytes of markdown. */
export function generatedArticle(n: number, bytes = 6000): string {
  const paragraph = `Paragraph text for story ${n}, with *some emphasis*, a [link](https://example.com/${n}) and \`code\`. ` +
    'Reporters spoke to residents, checked the figures twice and asked the council for comment before publishing. ';
  const paragraphs: string[] = [];
  for (let size = 0; size < bytes; size += paragraph.length + 2) {
    paragraphs.push(paragraphs.length % 6 === 5 ? `## Section ${paragraphs.length}` : paragraph);
  }
  const day = String(1 + (n % 28)).padStart(2, '0');
  return `---\ntitle: Generated story ${n}\ndate: 2026-10-${day}T${String(n % 24).padStart(2, '0')}:00:00Z\nstandfirst: A generated story for load and benchmarks.\nsection: generated\n---\n\n${paragraphs.join('\n\n')}\n`;
}

/** Writes `count` generated articles (with metadata) under `generated/story-N`. */
export async function seedGenerated(worker: WorkerServer, count: number, bytes = 6000): Promise<string[]> {
  const slugs: string[] = [];
  const batch: Promise<void>[] = [];
  for (let n = 0; n < count; n++) {
    const slug = `generated/story-${n}`;
    const source = generatedArticle(n, bytes);
    const parsed = parseArticle(source, slug);
    if (!parsed.ok) throw new Error(`generated article ${n} is invalid`);
    batch.push(worker.kv.put(slug, source, { metadata: toMetadata(parsed.article, await contentHash(source)) }));
    slugs.push(slug);
    if (batch.length >= 50) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
  return slugs;
}
