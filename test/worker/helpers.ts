/** Shared by the workerd tests: seed KV and the index the way editors do, and fetch through the worker. */
import { env, exports } from 'cloudflare:workers';
import { parseArticle, type ArticleMeta } from '../../src/content/article.ts';
import { prepareBody } from '../../src/content/markdown.ts';
import { indexDb } from '../../src/storage/index-db.ts';
import { indexRow } from '../../src/storage/index-rows.ts';
import { writeRowsStatements } from '../../src/storage/index-sql.ts';
import { contentHash, toMetadata } from '../../src/storage/kv-format.ts';

export const ORIGIN = 'https://news.test';

/** An article file with the given front matter fields (YAML text) and body. */
export function articleFile(frontMatter: string, body = 'A paragraph of body text.\n'): string {
  return `---\n${frontMatter.trim()}\n---\n\n${body}`;
}

/**
 * Writes an article as the publish command does: value plus metadata in KV,
 * then its row in the D1 index. `withMetadata: false` writes the value alone,
 * as a plain `wrangler kv key put` does: no metadata and no index row.
 */
export async function seedArticle(slug: string, source: string, { withMetadata = true } = {}): Promise<void> {
  if (!withMetadata) {
    await env.ARTICLES.put(slug, source);
    return;
  }
  const parsed = parseArticle(source, slug);
  if (!parsed.ok) throw new Error(`test article ${slug} is invalid: ${JSON.stringify(parsed.problems)}`);
  const hash = await contentHash(source);
  await env.ARTICLES.put(slug, source, { metadata: toMetadata(parsed.article, hash) });
  await indexArticles([{ meta: { ...parsed.article, slug }, hash, text: prepareBody(parsed.article.body).text() }]);
}

/** Writes index rows as an editor's command does (one batch), for articles already in KV or not. */
export async function indexArticles(articles: { meta: ArticleMeta; hash: string; text?: string }[], now = Date.now()): Promise<void> {
  const rows = articles.map((a) => indexRow(a.meta, a.hash, a.text ?? ''));
  await indexDb(env.INDEX, 10_000).write(writeRowsStatements(rows, { writer: 'editor', now, trustMs: 0 }));
}

/** A request through the worker's real fetch handler. */
export function get(path: string, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(ORIGIN + path, { headers, ...init }));
}

/** The `data-region` of the banner in a page, or null when there is none. */
export function bannerRegion(html: string): string | null {
  return /<aside class="support" data-region="([A-Z]+)"/.exec(html)?.[1] ?? null;
}

/** The hash the index holds for `slug`, or null when it has no row. */
export async function indexedHash(slug: string): Promise<string | null> {
  return (await env.INDEX.prepare('SELECT hash FROM articles WHERE slug = ?1').bind(slug).first<string>('hash')) ?? null;
}

/**
 * Waits for the index to hold `slug` (at `hash`, when given): for work the
 * worker finishes after its response (`waitUntil`). Fails after `tries` polls.
 */
export async function waitForIndexed(slug: string, hash?: string, tries = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const found = await indexedHash(slug);
    if (found !== null && (hash === undefined || found === hash)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${slug} never reached the index${hash ? ` at ${hash}` : ''}`);
}

/** A body as the article page renders it, without image sizes or a gallery. */
export function renderMarkdown(body: string): string {
  return prepareBody(body).render();
}

/** A body's search text. */
export function bodyText(body: string): string {
  return prepareBody(body).text();
}
