/**
 * The article format of DESIGN §1: YAML front matter, then a markdown body.
 *
 * {@link parseArticle} is the one parser and validator of that format. The
 * worker runs it on what it reads from KV and the publish command runs it on
 * what editors wrote, so a file that publishes is a file that renders.
 */
import { SEGMENT_PATTERN, isReserved, isValidSlug } from './slug.ts';
import { isHttpUrl, safeUrl } from './url.ts';
import { parseYamlMapping, type Problem } from './yaml-mapping.ts';

export type { Problem } from './yaml-mapping.ts';

export interface Author {
  name: string;
  url?: string;
}

export interface ArticleImage {
  src: string;
  alt: string;
  caption?: string;
  credit?: string;
}

/** Everything about an article except its body. Dates are ISO 8601 as written. */
export interface ArticleMeta {
  slug: string;
  title: string;
  date: string;
  updated?: string;
  standfirst?: string;
  authors: Author[];
  section?: string;
  tags: string[];
  image?: ArticleImage;
  language: string;
  draft: boolean;
}

export interface Article extends ArticleMeta {
  body: string;
  /** 1-based line of the file on which the body starts, for reporting. */
  bodyLine: number;
}

export type ParseResult =
  | { ok: true; article: Article; warnings: Problem[] }
  | { ok: false; problems: Problem[] };

/** The largest article file accepted, in UTF-8 bytes. */
export const MAX_ARTICLE_BYTES = 1024 * 1024;

const FIELDS = new Set([
  'title', 'date', 'updated', 'standfirst', 'authors', 'section', 'tags',
  'image', 'language', 'draft', 'slug',
]);

const LIMITS = { title: 300, standfirst: 1000, name: 200, tag: 60, tags: 30, authors: 30, caption: 600, credit: 300, alt: 600 };

// ISO 8601 calendar date, optionally with a time, which then needs a zone.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;
// C0 and C1 controls other than tab and newline, lone surrogates and non-characters.
const BAD_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Parses and validates one article file. `fileSlug` is the slug the file's
 * name or KV key implies; a `slug` field in the front matter overrides it.
 */
export function parseArticle(source: string, fileSlug: string): ParseResult {
  const problems: Problem[] = [];
  const error = (line: number, message: string) => problems.push({ line, message, severity: 'error' });
  const warn = (line: number, message: string) => problems.push({ line, message, severity: 'warning' });

  const bytes = exceedsByteLimit(source);
  if (bytes) {
    error(1, `file is ${bytes} bytes; the limit is ${MAX_ARTICLE_BYTES}`);
    return { ok: false, problems };
  }
  const split = splitFrontMatter(source);
  if (!split) {
    error(1, "file must start with YAML front matter: a '---' line, the fields, then a closing '---' line");
    return { ok: false, problems };
  }

  // The front matter starts on line 2 of the file, after the opening '---'.
  const yaml = parseYamlMapping(split.yaml, 2, 'front matter');
  if (!yaml.ok) return { ok: false, problems: yaml.problems };
  const { data, lineOf } = yaml.mapping;

  const text = (path: (string | number)[], value: unknown, max: number, required: boolean): string | undefined => {
    const where = path.join('.');
    if (value === undefined || value === null) {
      if (required) error(lineOf(...path.slice(0, -1)), `${where} is required`);
      return undefined;
    }
    if (typeof value !== 'string') {
      error(lineOf(...path), `${where} must be text${typeof value === 'number' || typeof value === 'boolean' ? ' (put it in quotes)' : ''}`);
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed === '') {
      if (required) error(lineOf(...path), `${where} must not be empty`);
      return undefined;
    }
    if (trimmed.length > max) error(lineOf(...path), `${where} is ${trimmed.length} characters; the limit is ${max}`);
    if (BAD_CHARACTERS.test(trimmed)) error(lineOf(...path), `${where} contains a control or invalid character`);
    return trimmed;
  };
  const isoDate = (key: 'date' | 'updated', required: boolean): string | undefined => {
    const value = text([key], data[key], 40, required);
    if (value !== undefined && !isValidIsoDate(value)) {
      error(lineOf(key), `${key} must be an ISO 8601 date such as 2026-11-20 or 2026-11-20T08:30:00Z (a time needs a zone), got "${value}"`);
      return undefined;
    }
    return value;
  };

  for (const key of Object.keys(data)) {
    if (!FIELDS.has(key)) warn(lineOf(key), `unknown field "${key}" is ignored (known: ${[...FIELDS].join(', ')})`);
  }

  const title = text(['title'], data.title, LIMITS.title, true);
  const date = isoDate('date', true);
  const updated = isoDate('updated', false);
  if (date && updated && Date.parse(updated) < Date.parse(date)) {
    error(lineOf('updated'), `updated (${updated}) is earlier than date (${date})`);
  }
  const standfirst = text(['standfirst'], data.standfirst, LIMITS.standfirst, false);

  const section = text(['section'], data.section, 60, false);
  if (section !== undefined && !SEGMENT_PATTERN.test(section)) {
    error(lineOf('section'), `section must be lower-case words joined by hyphens, such as "world" or "arts-and-culture", got "${section}"`);
  }

  const slug = data.slug === undefined ? fileSlug : text(['slug'], data.slug, 200, true);
  if (slug !== undefined && !isValidSlug(slug)) {
    error(lineOf('slug'), isReserved(slug)
      ? `slug "${slug}" starts with "${slug.split('/')[0]}/", which is kept for ${slug.startsWith('media') ? 'images' : 'site configuration'}: choose another first segment`
      : `slug "${slug}" must be lower-case words joined by hyphens, in /-separated segments`);
  }

  const language = text(['language'], data.language, 35, false) ?? 'en';
  if (!LANGUAGE_TAG.test(language)) error(lineOf('language'), `language must be a BCP 47 tag such as en or pt-BR, got "${language}"`);

  let draft = false;
  if (data.draft !== undefined && data.draft !== null) {
    if (typeof data.draft === 'boolean') draft = data.draft;
    else error(lineOf('draft'), 'draft must be true or false');
  }

  const tags: string[] = [];
  if (data.tags !== undefined && data.tags !== null) {
    if (!Array.isArray(data.tags)) error(lineOf('tags'), 'tags must be a list, such as [transport, climate]');
    else {
      if (data.tags.length > LIMITS.tags) error(lineOf('tags'), `tags has ${data.tags.length} entries; the limit is ${LIMITS.tags}`);
      data.tags.forEach((tag, i) => {
        const value = text(['tags', i], typeof tag === 'number' ? String(tag) : tag, LIMITS.tag, true);
        if (value !== undefined && !tags.includes(value)) tags.push(value);
      });
    }
  }

  const authors: Author[] = [];
  if (data.authors !== undefined && data.authors !== null) {
    if (!Array.isArray(data.authors)) error(lineOf('authors'), 'authors must be a list of names, or of {name, url}');
    else {
      if (data.authors.length > LIMITS.authors) error(lineOf('authors'), `authors has ${data.authors.length} entries; the limit is ${LIMITS.authors}`);
      data.authors.forEach((entry, i) => {
        if (typeof entry === 'string') {
          const name = text(['authors', i], entry, LIMITS.name, true);
          if (name) authors.push({ name });
        } else if (isRecord(entry)) {
          const name = text(['authors', i, 'name'], entry.name, LIMITS.name, true);
          const url = text(['authors', i, 'url'], entry.url, 500, false);
          if (url !== undefined && !isHttpUrl(url)) error(lineOf('authors', i, 'url'), `authors.${i}.url must be an http(s) URL`);
          for (const key of Object.keys(entry)) {
            if (key !== 'name' && key !== 'url') warn(lineOf('authors', i, key), `unknown author field "${key}" is ignored`);
          }
          if (name) authors.push(url && isHttpUrl(url) ? { name, url } : { name });
        } else {
          error(lineOf('authors', i), `authors.${i} must be a name or {name, url}`);
        }
      });
    }
  }

  let image: ArticleImage | undefined;
  if (data.image !== undefined && data.image !== null) {
    if (!isRecord(data.image)) error(lineOf('image'), 'image must be a mapping with src and alt (and optionally caption and credit)');
    else {
      const img = data.image;
      const src = text(['image', 'src'], img.src, 1000, true);
      const alt = text(['image', 'alt'], img.alt, LIMITS.alt, false);
      if (alt === undefined) error(lineOf('image'), 'image.alt is required: describe the picture for readers who cannot see it');
      const caption = text(['image', 'caption'], img.caption, LIMITS.caption, false);
      const credit = text(['image', 'credit'], img.credit, LIMITS.credit, false);
      if (src !== undefined && safeUrl(src, 'image') === null) {
        error(lineOf('image', 'src'), 'image.src must be an http(s) or relative URL');
      }
      for (const key of Object.keys(img)) {
        if (!['src', 'alt', 'caption', 'credit'].includes(key)) warn(lineOf('image', key), `unknown image field "${key}" is ignored`);
      }
      if (src && alt) image = { src, alt, ...(caption && { caption }), ...(credit && { credit }) };
    }
  }

  const body = split.body;
  if (body.trim() === '') error(split.bodyLine, 'the article has no body after the front matter');
  if (BAD_CHARACTERS.test(body)) {
    const index = body.search(BAD_CHARACTERS);
    error(split.bodyLine + countNewlines(body, index), 'body contains a control or invalid character');
  }

  problems.sort((a, b) => a.line - b.line);
  if (problems.some((p) => p.severity === 'error') || !title || !date || !slug) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    warnings: problems,
    article: {
      slug, title, date, language, draft, authors, tags,
      ...(updated && { updated }),
      ...(standfirst && { standfirst }),
      ...(section && { section }),
      ...(image && { image }),
      body,
      bodyLine: split.bodyLine,
    },
  };
}

/** True for `YYYY-MM-DD`, or a date and time with a zone, naming a real instant. */
export function isValidIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map((part) => (part === undefined ? undefined : Number(part)));
  const day = new Date(Date.UTC(y!, mo! - 1, d!));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo! - 1 || day.getUTCDate() !== d) return false;
  if (h !== undefined && (h > 23 || mi! > 59 || (s ?? 0) > 59)) return false;
  return !Number.isNaN(Date.parse(value));
}

/**
 * Splits a file into front matter and body by lines, so no regular expression
 * runs over an arbitrarily long, hostile file.
 */
export function splitFrontMatter(source: string): { yaml: string; body: string; bodyLine: number } | null {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const firstBreak = text.indexOf('\n');
  if (firstBreak === -1 || text.slice(0, firstBreak).trimEnd() !== '---') return null;
  let start = firstBreak + 1;
  let line = 2;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const current = text.slice(start, end === -1 ? text.length : end).trimEnd();
    if (current === '---' || current === '...') {
      return {
        yaml: text.slice(firstBreak + 1, start),
        body: end === -1 ? '' : text.slice(end + 1),
        bodyLine: line + 1,
      };
    }
    if (end === -1) return null;
    start = end + 1;
    line++;
  }
  return null;
}

/** The UTF-8 size of `value` when it is over the limit, else 0. */
function exceedsByteLimit(value: string): number {
  // A UTF-16 unit is at most 3 UTF-8 bytes, so most files need no encoding at all.
  if (value.length * 3 <= MAX_ARTICLE_BYTES) return 0;
  const bytes = new TextEncoder().encode(value).byteLength;
  return bytes > MAX_ARTICLE_BYTES ? bytes : 0;
}

function countNewlines(value: string, end: number): number {
  let count = 0;
  for (let i = value.indexOf('\n'); i !== -1 && i < end; i = value.indexOf('\n', i + 1)) count++;
  return count;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
