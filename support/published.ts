/**
 * An article file as `npm run publish` writes it: its KV metadata and its
 * index row. Pure, so the Node harness and the workerd tests seed the same way.
 */
import { parseArticle, type ArticleMeta } from '../src/content/article.ts';
import { prepareBody } from '../src/content/markdown.ts';
import { indexRow, type IndexRow } from '../src/storage/index-rows.ts';
import { contentHash, toMetadata, type ArticleMetadata } from '../src/storage/kv-format.ts';

export interface PublishedArticle {
  slug: string;
  source: string;
  hash: string;
  /** The revision the publish command gave it (null: as a plain upload has none). */
  revision: number | null;
  meta: ArticleMeta;
  body: string;
  metadata: ArticleMetadata;
  row: IndexRow;
}

/**
 * Parses `source` as the article at `slug`, published at `revision`; throws
 * when it is invalid, since a fixture must be valid.
 */
export async function published(slug: string, source: string, revision: number | null = null): Promise<PublishedArticle> {
  const parsed = parseArticle(source, slug);
  if (!parsed.ok) throw new Error(`test article ${slug} is invalid: ${JSON.stringify(parsed.problems)}`);
  const { body, bodyLine: _, ...rest } = parsed.article;
  const meta: ArticleMeta = { ...rest, slug };
  const hash = await contentHash(source);
  return {
    slug, source, hash, revision, meta, body,
    metadata: toMetadata(meta, hash, revision ?? undefined),
    row: indexRow(meta, hash, prepareBody(body).text(), revision),
  };
}
