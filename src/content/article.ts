/**
 * The article format (README, Writing an article): YAML front matter, then a
 * markdown body.
 *
 * {@link parseArticle} is the one parser and validator of that format. The
 * worker runs it on what it reads from KV and the publish command runs it on
 * what editors wrote, so a file that publishes is a file that renders.
 */
import { BAD_CHARACTERS, boolean, list, map, record, report, text, textOrRecord, type Walk } from './schema.ts';
import { SEGMENT_PATTERN, isReserved, isValidSlug } from './slug.ts';
import { isHttpUrl, safeUrl } from './url.ts';
import { parseYamlMapping, type Problem } from './yaml-mapping.ts';

export type { Problem } from './yaml-mapping.ts';

export interface Author {
  name: string;
  url?: string;
}

/** A correction: when it was made, and what it says (inline markdown: emphasis, code and links). */
export interface Correction {
  date: string;
  text: string;
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
  /** Corrections, as written (the publish command keeps them in date order). */
  corrections: Correction[];
  /** Slugs the article was published under before: each answers a 301 to it. */
  aliases: string[];
  /** `support: false`: no reader-support banner on this article (a sensitive story). */
  support?: false;
}

/** What lists, feeds and KV metadata show of an article: enough for a card, not the body. */
export interface ArticleSummary extends Pick<ArticleMeta, 'slug' | 'title' | 'date' | 'updated' | 'standfirst' | 'section'> {
  image?: Pick<ArticleImage, 'src' | 'alt'>;
  /** Content hash of the article file. */
  hash: string;
}

export interface Article extends ArticleMeta {
  body: string;
  /** 1-based line of the file on which the body starts, for reporting. */
  bodyLine: number;
  /** The line of each correction's text, in the order of `corrections`, for the publisher's checks of it. */
  correctionLines: number[];
}

export type ParseResult =
  | { ok: true; article: Article; warnings: Problem[] }
  | { ok: false; problems: Problem[] };

/** The largest article file accepted, in UTF-8 bytes. */
export const MAX_ARTICLE_BYTES = 1024 * 1024;

// ISO 8601 calendar date, optionally with a time, which then needs a zone.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;

const isoDate = (required: boolean) => text({
  max: 40,
  required,
  check: (value) => isValidIsoDate(value) ? null
    : `must be an ISO 8601 date such as 2026-11-20 or 2026-11-20T08:30:00Z (a time needs a zone), got "${value}"`,
});

const name = text({ max: 200, required: true });

/** The front matter: every field an article may have, and what each must be. */
const FRONT_MATTER = record({
  title: text({ max: 300, required: true }),
  date: isoDate(true),
  updated: isoDate(false),
  standfirst: text({ max: 1000 }),
  authors: list(
    textOrRecord<Author>(
      map(name, (n) => ({ name: n })),
      map(record({
        name,
        url: text({ max: 500, check: (url) => (isHttpUrl(url) ? null : 'must be an http(s) URL') }),
      }, { unknown: 'warning', noun: 'author' }), (a) => a as Author),
      'must be a name or {name, url}',
    ),
    { max: 30, shape: 'must be a list of names, or of {name, url}' },
  ),
  section: text({
    max: 60,
    check: (value) => SEGMENT_PATTERN.test(value) ? null
      : `must be lower-case words joined by hyphens, such as "world" or "arts-and-culture", got "${value}"`,
  }),
  tags: list(text({ max: 60, required: true, numbers: true }), { max: 30, unique: true, shape: 'must be a list, such as [transport, climate]' }),
  image: record({
    src: text({ max: 1000, required: true, check: (src) => (safeUrl(src, 'image') === null ? 'must be an http(s) or relative URL' : null) }),
    alt: text({ max: 600, required: 'describe the picture for readers who cannot see it' }),
    caption: text({ max: 600 }),
    credit: text({ max: 300 }),
  }, { shape: 'must be a mapping with src and alt (and optionally caption and credit)', unknown: 'warning', noun: 'image' }),
  language: text({ max: 35, check: (value) => (LANGUAGE_TAG.test(value) ? null : `must be a BCP 47 tag such as en or pt-BR, got "${value}"`) }),
  draft: boolean(),
  support: boolean(),
  slug: text({ max: 200, nonEmpty: true }),
  corrections: list(
    record({
      date: isoDate(true),
      text: text({ max: 1000, required: 'say what was wrong and what is right now' }),
    }, { shape: 'must be a mapping with date and text', unknown: 'error', noun: 'correction' }),
    { max: 20, shape: 'must be a list of {date, text}' },
  ),
  aliases: list(text({ max: 200, required: true }), { max: 20, unique: true, shape: 'must be a list of earlier slugs, such as [world/old-headline]' }),
}, { unknown: 'warning' });

/**
 * Parses and validates one article file. `fileSlug` is the slug the file's
 * name or KV key implies; a `slug` field in the front matter overrides it.
 */
export function parseArticle(source: string, fileSlug: string): ParseResult {
  const bytes = exceedsByteLimit(source);
  if (bytes) return refused(1, `file is ${bytes} bytes; the limit is ${MAX_ARTICLE_BYTES}`);
  const split = splitFrontMatter(source);
  if (!split) return refused(1, "file must start with YAML front matter: a '---' line, the fields, then a closing '---' line");

  // The front matter starts on line 2 of the file, after the opening '---'.
  const yaml = parseYamlMapping(split.yaml, 2, 'front matter');
  if (!yaml.ok) return { ok: false, problems: yaml.problems };
  const walk: Walk = { lineOf: yaml.mapping.lineOf, problems: [] };
  const fields = FRONT_MATTER(yaml.mapping.data, [], walk) ?? {};

  // What no single field can say on its own.
  const { date, updated } = fields;
  if (date && updated && Date.parse(updated) < Date.parse(date)) report(walk, ['updated'], `(${updated}) is earlier than date (${date})`);
  const slug = fields.slug ?? fileSlug;
  const slugProblem = slugRule(slug);
  if (slugProblem) report(walk, ['slug'], slugProblem);
  const corrections = (fields.corrections ?? []).filter((c): c is Correction => c.date !== undefined && c.text !== undefined);
  corrections.forEach((c, i) => {
    if (date && Date.parse(c.date) < Date.parse(date)) report(walk, ['corrections', i, 'date'], `(${c.date}) is earlier than the article's date (${date})`);
  });
  const aliases = fields.aliases ?? [];
  aliases.forEach((alias, i) => {
    const problem = alias === slug ? `is the article's own slug` : slugRule(alias);
    if (problem) report(walk, ['aliases', i], problem);
  });
  const body = split.body;
  if (body.trim() === '') report(walk, [], 'the article has no body after the front matter', { line: split.bodyLine });
  const bad = body.search(BAD_CHARACTERS);
  if (bad !== -1) report(walk, [], 'body contains a control or invalid character', { line: split.bodyLine + countNewlines(body, bad) });

  // Newest last, as they happened, whatever order they were written in (each with its text's line).
  const dated = corrections.map((c, i) => ({ ...c, line: walk.lineOf('corrections', i, 'text') })).sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
  const problems = walk.problems.sort((a, b) => a.line - b.line);
  const { title } = fields;
  if (problems.some((p) => p.severity === 'error') || !title || !date) return { ok: false, problems };
  return {
    ok: true,
    warnings: problems,
    article: {
      slug, title, date,
      language: fields.language ?? 'en',
      draft: fields.draft ?? false,
      authors: fields.authors ?? [],
      tags: fields.tags ?? [],
      corrections: dated.map(({ date, text }) => ({ date, text })),
      correctionLines: dated.map((c) => c.line),
      aliases,
      ...(updated && { updated }),
      ...(fields.standfirst && { standfirst: fields.standfirst }),
      ...(fields.section && { section: fields.section }),
      ...(fields.image && { image: fields.image as ArticleImage }),
      ...(fields.support === false && { support: false as const }),
      body,
      bodyLine: split.bodyLine,
    },
  };
}

/** What is wrong with `slug` as an article's address, or null. */
function slugRule(slug: string): string | null {
  if (isValidSlug(slug)) return null;
  return isReserved(slug)
    ? `"${slug}" starts with "${slug.split('/')[0]}/", which is kept for ${slug.startsWith('media') ? 'images' : 'site configuration'}: choose another first segment`
    : `"${slug}" must be lower-case words joined by hyphens, in /-separated segments`;
}

function refused(line: number, message: string): ParseResult {
  return { ok: false, problems: [{ line, message, severity: 'error' }] };
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
