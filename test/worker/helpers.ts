/** Shared by the workerd tests: seed KV the way editors do, and fetch through the worker. */
import { env, exports } from 'cloudflare:workers';
import { parseArticle } from '../../src/article.ts';
import { contentHash, toMetadata } from '../../src/store.ts';

export const ORIGIN = 'https://news.test';

/** An article file with the given front matter fields (YAML text) and body. */
export function articleFile(frontMatter: string, body = 'A paragraph of body text.\n'): string {
  return `---\n${frontMatter.trim()}\n---\n\n${body}`;
}

/**
 * Writes an article as the publish command does: value plus metadata.
 * `withMetadata: false` writes the value alone, as a plain `wrangler kv key put` does.
 */
export async function seedArticle(slug: string, source: string, { withMetadata = true } = {}): Promise<void> {
  if (!withMetadata) {
    await env.ARTICLES.put(slug, source);
    return;
  }
  const parsed = parseArticle(source, slug);
  if (!parsed.ok) throw new Error(`test article ${slug} is invalid: ${JSON.stringify(parsed.problems)}`);
  await env.ARTICLES.put(slug, source, { metadata: toMetadata(parsed.article, await contentHash(source)) });
}

/** A request through the worker's real fetch handler. */
export function get(path: string, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(ORIGIN + path, { headers, ...init }));
}

/** The `data-region` of the banner in a page, or null when there is none. */
export function bannerRegion(html: string): string | null {
  return /<aside class="support" data-region="([A-Z]+)"/.exec(html)?.[1] ?? null;
}
