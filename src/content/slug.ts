import { fingerprint } from './fingerprint.ts';

/**
 * Article slugs, shared by the worker and the publish command.
 *
 * A slug is lower-case ASCII words joined by hyphens, in one or more
 * `/`-separated segments, so sections can nest: `world/americas/portrait-gift`.
 * The pattern rejects `..`, `%`, NUL, upper case and non-ASCII outright, which
 * is what lets the worker answer a malformed slug without touching KV.
 */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)*$/;

/** Longer slugs are refused before the pattern runs; KV keys may be 512 bytes. */
export const MAX_SLUG_LENGTH = 200;

/**
 * First segments that are not articles: KV keeps media under `media/` and the
 * site's configuration (banner copy) under `config/`, next to the articles.
 */
export const RESERVED_SEGMENTS: readonly string[] = ['media', 'config'];

/** True when `value` is a well-formed article slug, outside the reserved prefixes. */
export function isValidSlug(value: string): boolean {
  return value.length > 0 && value.length <= MAX_SLUG_LENGTH && SLUG_PATTERN.test(value) && !isReserved(value);
}

/** True when the slug starts with a segment kept for something other than articles. */
export function isReserved(slug: string): boolean {
  const slash = slug.indexOf('/');
  return RESERVED_SEGMENTS.includes(slash === -1 ? slug : slug.slice(0, slash));
}

/** One slug segment: what a `section` must look like. */
export const SEGMENT_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Text folded into a URL segment: lower-case ASCII words joined by hyphens,
 * accents dropped ("Café Olé" → "cafe-ole"), at most `max` characters. Empty
 * when the text has no Latin letters or digits; callers pick their own fallback.
 */
export function foldToSegment(text: string, max = 80): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

/**
 * The stable URL segment of a tag or an author's name: `/tags/<segment>`,
 * `/authors/<segment>`. Accents fold ("José Núñez" → "jose-nunez"); a name with
 * no Latin letters or digits at all gets a short hash instead, so it still has
 * an address. Two spellings that fold alike share a page, on purpose.
 */
export function nameSlug(name: string): string {
  return foldToSegment(name) || `n-${fingerprint(name.normalize('NFC').toLowerCase())}`;
}
