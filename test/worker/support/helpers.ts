/** Shared by the workerd tests: seed KV and the index the way editors do, and fetch through the worker. */
import { env, exports } from 'cloudflare:workers';
import app from '../../../src/index.ts';
import type { ArticleMeta } from '../../../src/content/article.ts';
import type { Site } from '../../../src/views/layout.ts';
import { prepareBody } from '../../../src/content/markdown.ts';
import { indexDb } from '../../../src/storage/index-db.ts';
import type { IndexRow } from '../../../src/storage/index-rows.ts';
import { NEXT_REVISION_SQL, writeRowsStatements } from '../../../src/storage/index-sql.ts';
import { published } from '../../../support/published.ts';

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
  const article = await published(slug, source, await nextRevision());
  await env.ARTICLES.put(slug, source, { metadata: article.metadata });
  await writeIndexRows([article.row]);
}

/** The next revision from the index's counter, as the publish command takes one per run. */
export async function nextRevision(): Promise<number> {
  return (await env.INDEX.prepare(NEXT_REVISION_SQL).first<number>('revision'))!;
}

/** Writes index rows as an editor's command does (one batch), for articles in KV or not. */
export async function writeIndexRows(rows: IndexRow[]): Promise<void> {
  await indexDb(env.INDEX, 10_000).write(writeRowsStatements(rows, { writer: 'editor', trustMs: 0 }));
}

export interface FetchOptions {
  headers?: Record<string, string>;
  method?: string;
  /** `request.cf`, as Cloudflare's edge sets it. */
  cf?: { country?: string };
  /**
   * Bindings and vars to use instead of the test's own: failing storage, other
   * settings. The request then goes to the app itself, with no execution context.
   */
  bindings?: Record<string, unknown>;
}

/** A request through the worker's real fetch handler, or through the app over other bindings. */
export function fetchApp(path: string, { headers = {}, method = 'GET', cf, bindings }: FetchOptions = {}): Promise<Response> {
  // Redirects come back as they are, as a cache or a browser first sees them.
  const request = new Request(ORIGIN + path, { method, headers, redirect: 'manual', ...(cf ? { cf } : {}) } as RequestInit);
  return bindings ? Promise.resolve(app.fetch(request, { ...env, ...bindings })) : exports.default.fetch(request);
}

/** The body of a 200 response, failing the test on any other status. */
export async function page(path: string, options?: FetchOptions): Promise<string> {
  const res = await fetchApp(path, options);
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  return res.text();
}

/** Article titles on a list page or in search results, in order. */
export function titles(html: string): string[] {
  return [...html.matchAll(/<h2(?: id="[^"]+")?><a href="\/articles\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);
}

/** The `desc="N calls"` count of one storage in a response's Server-Timing. */
export function storageCalls(res: Response, storage: 'kv' | 'd1'): number {
  const match = new RegExp(`${storage};dur=[\\d.]+;desc="(\\d+) calls?"`).exec(res.headers.get('Server-Timing') ?? '');
  if (!match) throw new Error(`no ${storage} timing on ${res.url}`);
  return Number(match[1]);
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

/** A site for the view tests: a time zone with summer time, and a two-word section. */
export const TEST_SITE: Site = {
  name: 'Broadsheet', origin: 'https://news.test', timeZone: 'Europe/London', sections: ['world', 'arts-and-culture'], language: 'en', tagAuthority: 'news.test',
};

/** Front matter with markup where a careless template would let it through. */
export const TEST_ARTICLE: ArticleMeta = {
  slug: 'a/b',
  title: 'Title </script><script>alert(1)</script>',
  date: '2026-06-01T12:00:00Z',
  standfirst: 'He said "hi" & left',
  authors: [{ name: 'A' }],
  tags: ['x'],
  language: 'en',
  draft: false,
  corrections: [],
  aliases: [],
};

/** The first 33 bytes of a PNG of the given size: enough for its dimensions to be read. */
export function pngHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bytes.buffer).setUint32(16, width);
  new DataView(bytes.buffer).setUint32(20, height);
  return bytes;
}

/** A body as the article page renders it, without image sizes or a gallery. */
export function renderMarkdown(body: string): string {
  return prepareBody(body).render();
}

/** A body's search text. */
export function bodyText(body: string): string {
  return prepareBody(body).text();
}
