/**
 * Reads editors' files from disk and checks them with the same parser the
 * worker uses, plus the checks only a publisher can make (media that exists,
 * slugs that are unique). Nothing here talks to KV.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Tokens } from 'marked';
import { parseArticle, type Article, type Problem } from '../content/article.ts';
import { parseBannerFile } from '../content/banner-copy.ts';
import { parseFrontsFile } from '../content/fronts.ts';
import { assessMarkdown } from '../content/markdown-guard.ts';
import { noteProblems, prepareBody } from '../content/markdown.ts';
import { safeUrl } from '../content/url.ts';
import { isImageName } from '../media/formats.ts';
import { contentHash } from '../storage/kv-format.ts';
import { checkMediaFile, type MediaFile } from './media.ts';

/** The folder, inside the content root, whose files become `media/<name>` in the MEDIA bucket. */
export const MEDIA_DIR = 'media';

/** The banner copy file, at the top of the content root. */
export const BANNERS_FILE = 'banners.yaml';
/** The fronts file (editions and their curated fronts), at the top of the content root. */
export const FRONTS_FILE = 'fronts.yaml';

/** An article that takes longer than this to render at publish is refused. */
export const RENDER_BUDGET_MS = 50;

const WARM_UP = '# Warm\n\nSome *emphasis*, a [link](https://x.test), `code`.\n\n- a\n- b\n\n> quote\n';

export interface ArticleFile {
  file: string;
  source: string;
  article: Article;
  hash: string;
  /** Media names (without `media/`) the article shows. */
  media: string[];
  /** The body as plain text, for the search index. */
  text: string;
}

/** An editors' config file that publishes to one KV key: the banner copy, the fronts. */
export interface ConfigFile {
  file: string;
  source: string;
  hash: string;
}
export type BannersFile = ConfigFile;

/** One reportable problem, tied to a file. */
export interface FileProblem extends Problem {
  file: string;
}

export interface ContentSet {
  articles: ArticleFile[];
  media: MediaFile[];
  /** The banners file, when it is among the paths (or the whole content root is). */
  banners?: BannersFile;
  /** The fronts file, likewise. */
  fronts?: ConfigFile;
  problems: FileProblem[];
}

/** `file:line: message`, the form editors' tools and terminals link up. */
export function formatProblem(p: FileProblem, cwd = process.cwd()): string {
  return `${path.relative(cwd, p.file) || p.file}:${p.line}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`;
}

/**
 * Loads and validates articles from `paths` (files or folders, searched for
 * `.md`), taking slugs from paths relative to `contentRoot`. Media the
 * articles show are loaded from `<contentRoot>/media/`, and so is every file
 * there when the content root, the media folder or a file in it is named.
 */
export async function loadContent(contentRoot: string, paths: string[]): Promise<ContentSet> {
  const problems: FileProblem[] = [];
  const files = new Set<string>();
  const bannersPath = path.join(path.resolve(contentRoot), BANNERS_FILE);
  const frontsPath = path.join(path.resolve(contentRoot), FRONTS_FILE);
  const mediaRoot = path.join(path.resolve(contentRoot), MEDIA_DIR);
  let bannersFile: string | undefined, frontsFile: string | undefined;
  const mediaNames = new Set<string>();
  for (const p of paths) {
    const resolved = path.resolve(p);
    const info = await stat(resolved).catch(() => null);
    if (!info) problems.push({ file: resolved, line: 1, message: 'no such file or folder', severity: 'error' });
    else if (resolved === mediaRoot || resolved.startsWith(mediaRoot + path.sep)) {
      for (const name of info.isDirectory() ? await mediaFiles(mediaRoot, resolved) : [path.relative(mediaRoot, resolved).split(path.sep).join('/')]) mediaNames.add(name);
    } else if (info.isDirectory()) {
      if (resolved === path.resolve(contentRoot)) for (const name of await mediaFiles(mediaRoot, mediaRoot)) mediaNames.add(name);
      for (const f of await markdownFiles(resolved)) files.add(f);
      if (resolved === path.resolve(contentRoot) && (await stat(bannersPath).catch(() => null))) bannersFile = bannersPath;
      if (resolved === path.resolve(contentRoot) && (await stat(frontsPath).catch(() => null))) frontsFile = frontsPath;
    } else if (resolved.endsWith('.md')) files.add(resolved);
    else if (resolved === bannersPath) bannersFile = bannersPath;
    else if (resolved === frontsPath) frontsFile = frontsPath;
    else problems.push({ file: resolved, line: 1, message: `not a markdown (.md) file, ${BANNERS_FILE} or ${FRONTS_FILE}`, severity: 'error' });
  }

  const articles: ArticleFile[] = [];
  const bySlug = new Map<string, string>();
  // Every article file under the content root, by slug: an alias may not be one.
  let rootSlugs: Set<string> | undefined;
  const articleSlugs = async () => (rootSlugs ??= new Set((await markdownFiles(path.resolve(contentRoot))).map((f) => slugForFile(contentRoot, f))));
  for (const file of [...files].sort()) {
    const source = await readText(file, problems);
    if (source === null) continue;
    const parsed = parseArticle(source, slugForFile(contentRoot, file));
    if (!parsed.ok) {
      problems.push(...parsed.problems.map((p) => ({ ...p, file })));
      continue;
    }
    problems.push(...parsed.warnings.map((p) => ({ ...p, file })));
    const { article } = parsed;
    const other = bySlug.get(article.slug);
    if (other) {
      problems.push({ file, line: 1, severity: 'error', message: `slug "${article.slug}" is already used by ${path.relative(process.cwd(), other)}` });
      continue;
    }
    bySlug.set(article.slug, file);
    const body = lintBody(article, source, file, problems);
    const media = mediaReferences(article, body.images, source, file, problems);
    if (body.ok) articles.push({ file, source, article, hash: await contentHash(source), media, text: body.text });
  }

  // An old slug leads to one article, and never to where another article is.
  const aliasOwners = new Map<string, ArticleFile>();
  for (const a of articles) {
    for (const alias of a.article.aliases) {
      const line = lineOf(a.source, alias);
      const owner = aliasOwners.get(alias);
      if (owner) {
        problems.push({ file: a.file, line, severity: 'error', message: `alias "${alias}" is also an alias of ${owner.article.slug} (${path.relative(process.cwd(), owner.file)}): an old address can lead to one article only` });
      } else if (bySlug.has(alias) || (await articleSlugs()).has(alias)) {
        problems.push({ file: a.file, line, severity: 'error', message: `alias "${alias}" is another article's slug (${path.relative(process.cwd(), bySlug.get(alias) ?? path.join(contentRoot, `${alias}.md`))}): to move that article here, delete its file first` });
      }
      aliasOwners.set(alias, a);
    }
  }
  for (const a of articles) {
    const owner = aliasOwners.get(a.article.slug);
    if (owner) problems.push({ file: a.file, line: 1, severity: 'error', message: `slug "${a.article.slug}" is an alias of ${owner.article.slug} (${path.relative(process.cwd(), owner.file)}): remove it from those aliases first` });
  }
  const invalid = new Set(problems.filter((p) => p.severity === 'error').map((p) => p.file));
  articles.splice(0, articles.length, ...articles.filter((a) => !invalid.has(a.file)));

  let banners: BannersFile | undefined;
  if (bannersFile) {
    const source = await readText(bannersFile, problems);
    if (source !== null) {
      const parsed = parseBannerFile(source);
      if (parsed.ok) banners = { file: bannersFile, source, hash: await contentHash(source) };
      else problems.push(...parsed.problems.map((p) => ({ ...p, file: bannersFile })));
    }
  }

  let fronts: ConfigFile | undefined;
  if (frontsFile) {
    const source = await readText(frontsFile, problems);
    if (source !== null) {
      const before = problems.length;
      const parsed = parseFrontsFile(source);
      const found: FileProblem[] = parsed.ok ? [] : parsed.problems.map((p) => ({ ...p, file: frontsFile }));
      // A curated slug must be an article: one in this set, or any file under the content root.
      const known = new Set([...bySlug.keys(), ...(await articleSlugs())]);
      for (const { slug, line } of parsed.curated) {
        if (!known.has(slug)) found.push({ file: frontsFile, line, severity: 'error', message: `curates "${slug}", which is not an article (no ${path.join(path.relative(process.cwd(), contentRoot) || '.', `${slug}.md`)})` });
      }
      problems.push(...found.sort((a, b) => a.line - b.line));
      if (problems.length === before) fronts = { file: frontsFile, source, hash: await contentHash(source) };
    }
  }

  const media: MediaFile[] = [];
  for (const name of new Set(articles.flatMap((a) => a.media))) mediaNames.add(name);
  for (const name of [...mediaNames].sort()) {
    const file = path.join(mediaRoot, name);
    if (!(await stat(file).catch(() => null))?.isFile()) {
      const user = articles.find((a) => a.media.includes(name))!;
      problems.push({
        file: user.file,
        line: lineOf(user.source, `/media/${name}`),
        severity: 'error',
        message: `image /media/${name} not found: put the file at ${path.relative(process.cwd(), file)}`,
      });
      continue;
    }
    const checked = await checkMediaFile(file, name);
    if ('problem' in checked) problems.push({ file, line: 1, severity: 'error', message: `media/${name}: ${checked.problem}` });
    else media.push(checked);
  }
  return { articles, media, ...(banners && { banners }), ...(fronts && { fronts }), problems };
}

/**
 * Checks a body the way only a publisher can: nesting, link and image URLs,
 * alt text, and how long it takes to render. Returns the images the body
 * shows (so their media can be checked too), its plain text (for the search
 * index, from the same tokens), and whether it may be published.
 */
function lintBody(article: Article, source: string, file: string, problems: FileProblem[]): { images: string[]; text: string; ok: boolean } {
  const before = problems.length;
  const at = (bodyLine: number) => article.bodyLine + bodyLine - 1;
  const risk = assessMarkdown(article.body);
  if (risk) {
    problems.push({ file, line: at(risk.line), severity: 'error', message: risk.message });
    return { images: [], text: '', ok: false };
  }
  // Corrections hold inline markdown: their links are checked like the body's, and they may not hold pictures.
  article.corrections.forEach((c, i) => {
    for (const message of noteProblems(c.text)) problems.push({ file, line: article.correctionLines[i]!, severity: 'error', message: `correction of ${c.date} ${message}` });
  });
  const prepared = prepareBody(article.body);
  prepared.walk((token) => {
    if (token.type === 'link') {
      const link = token as Tokens.Link;
      if (safeUrl(link.href, 'link') === null) {
        problems.push({ file, line: lineOf(source, link.raw), severity: 'error', message: `link to "${link.href}" is not allowed: use http, https, mailto or a relative URL` });
      }
    } else if (token.type === 'image') {
      const image = token as Tokens.Image;
      if (safeUrl(image.href, 'image') === null) {
        problems.push({ file, line: lineOf(source, image.raw), severity: 'error', message: `image "${image.href}" is not allowed: use http, https or a relative URL` });
      }
      if (image.text.trim() === '') {
        problems.push({ file, line: lineOf(source, image.raw), severity: 'error', message: `image ${image.href} has no alt text: describe it inside the square brackets` });
      }
    } else if (token.type === 'html') {
      problems.push({ file, line: lineOf(source, token.raw.trim()), severity: 'warning', message: 'raw HTML is shown to readers as text, not markup' });
    }
  });
  prepareBody(WARM_UP).render(); // time the body, not the JIT compiling marked
  const started = performance.now();
  prepareBody(article.body).render();
  const ms = performance.now() - started;
  if (ms > RENDER_BUDGET_MS) {
    problems.push({ file, line: article.bodyLine, severity: 'error', message: `the body takes ${Math.round(ms)} ms to render; the limit is ${RENDER_BUDGET_MS} ms (simplify long runs of emphasis, brackets or nesting)` });
  }
  return { images: prepared.images, text: prepared.text(), ok: !problems.slice(before).some((p) => p.severity === 'error') };
}

/** The slug a file's path implies: its path under the content root, without `.md`. */
export function slugForFile(contentRoot: string, file: string): string {
  const relative = path.relative(contentRoot, file);
  const inside = !relative.startsWith('..') && !path.isAbsolute(relative);
  return (inside ? relative : path.basename(file)).replace(/\.md$/, '').split(path.sep).join('/');
}

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.md') && !e.name.startsWith('.'))
    .map((e) => path.join(e.parentPath, e.name));
}

async function readText(file: string, problems: FileProblem[]): Promise<string | null> {
  const bytes = await readFile(file);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    problems.push({ file, line: 1, severity: 'error', message: 'file is not valid UTF-8' });
    return null;
  }
}

/**
 * Media names an article shows from `/media/`. Other local paths are errors,
 * since nothing but media is served from KV; remote URLs are left alone.
 */
function mediaReferences(article: Article, bodyImages: string[], source: string, file: string, problems: FileProblem[]): string[] {
  const sources = [...(article.image ? [article.image.src] : []), ...bodyImages];
  const names: string[] = [];
  for (const src of sources) {
    if (!src.startsWith('/')) continue;
    const name = src.startsWith('/media/') ? src.slice('/media/'.length) : null;
    if (name && isImageName(name)) {
      if (!names.includes(name)) names.push(name);
    } else {
      problems.push({
        file,
        line: lineOf(source, src),
        severity: 'error',
        message: `image ${src} is not under /media/ with a lower-case name ending in .svg, .png, .jpg, .webp, .avif or .gif`,
      });
    }
  }
  return names;
}

/** Media names of the files under `dir` (inside `mediaRoot`), skipping hidden ones; a name that is not valid is still listed, so it is reported. */
async function mediaFiles(mediaRoot: string, dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => path.relative(mediaRoot, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((name) => !name.split('/').some((part) => part.startsWith('.')));
}

/** 1-based line of the first occurrence of `needle`, or 1. */
export function lineOf(source: string, needle: string): number {
  const index = source.indexOf(needle);
  if (index === -1) return 1;
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < index; i = source.indexOf('\n', i + 1)) line++;
  return line;
}
