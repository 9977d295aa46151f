/** What the article modules pass around. */
import type { ArticleMeta } from '../content/article.ts';
import type { GalleryImage } from '../content/markdown.ts';

/** One version of an article, parsed. */
export interface ArticleVersion {
  slug: string;
  /** SHA-256 of the stored file: the content version. */
  hash: string;
  /** The revision its KV metadata records (the publish command's), or null for a plain upload. */
  revision: number | null;
  meta: ArticleMeta;
  body: string;
}

/** A stored file as parsed: the version, or why it is not one (kept so a broken file is not parsed on every request). */
export type ParsedArticle = { ok: true; version: ArticleVersion } | { ok: false; error: string };

/** The region-neutral rendering of one version. */
export interface ArticleRender {
  /** The body alone, as safe HTML (for the JSON API). */
  bodyHtml: string;
  /** Every picture, in reading order: the main image, then the body's. */
  gallery: GalleryImage[];
  /** The page up to the banner slot, and after it, as UTF-8. */
  before: Uint8Array;
  after: Uint8Array;
}

export interface LoadedArticle {
  version: ArticleVersion;
  /** True when KV failed and this is the last version seen before. */
  stale: boolean;
}
