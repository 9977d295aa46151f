/**
 * From a slug to a rendered, region-neutral article: read KV, parse, render.
 */
import { parseArticle, type ArticleMeta } from './article.ts';
import { renderMarkdown } from './markdown.ts';
import { BANNER_SLOT, renderArticlePage, type Site } from './pages.ts';
import { StoredContentError, contentHash, getArticle } from './store.ts';

export interface RenderedArticle {
  meta: ArticleMeta;
  /** Content hash of the KV value: the article's version. */
  hash: string;
  /** The body alone, as safe HTML (for the JSON API). */
  bodyHtml: string;
  /** The full page split around the banner slot. */
  pageBeforeBanner: string;
  pageAfterBanner: string;
}

/**
 * Loads and renders one article; null when there is no such article or it is
 * a draft. A stored file that does not parse throws {@link StoredContentError}.
 */
export async function loadRenderedArticle(
  kv: KVNamespace,
  slug: string,
  site: Site,
  cacheTtl: number,
): Promise<RenderedArticle | null> {
  const stored = await getArticle(kv, slug, cacheTtl);
  if (!stored) return null;
  const parsed = parseArticle(stored.source, slug);
  if (!parsed.ok) {
    const first = parsed.problems.find((p) => p.severity === 'error') ?? parsed.problems[0]!;
    throw new StoredContentError(slug, `line ${first.line}: ${first.message}`);
  }
  const { body, bodyLine: _, ...fields } = parsed.article;
  // The key is the article's address, whatever its front matter says.
  const meta: ArticleMeta = { ...fields, slug };
  if (meta.draft) return null;
  const bodyHtml = renderMarkdown(body);
  const page = renderArticlePage({ site, article: meta, bodyHtml, wordCount: countWords(body) });
  const slot = page.indexOf(BANNER_SLOT);
  return {
    meta,
    hash: await contentHash(stored.source),
    bodyHtml,
    pageBeforeBanner: page.slice(0, slot),
    pageAfterBanner: page.slice(slot + BANNER_SLOT.length),
  };
}

function countWords(text: string): number {
  let count = 0;
  for (const _ of text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)) count++;
  return count;
}
