/**
 * What a request asks for, read from its URL as sent (no percent-decoding)
 * and without parsing a URL object on every request.
 */
import { isValidSlug } from '../content/slug.ts';

/** The path of a request URL exactly as sent. Request URLs are absolute and have no fragment. */
export function rawPath(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const query = url.indexOf('?', start);
  return query === -1 ? url.slice(start) : url.slice(start, query);
}

/** `https://host:port` of a request URL. */
export function origin(url: string): string {
  return url.slice(0, url.indexOf('/', url.indexOf('//') + 2));
}

/** The slug after `prefix` in a raw path, or null when it is not a valid slug (so no storage is read for it). */
export function slugAfter(path: string, prefix: string): string | null {
  const slug = path.slice(prefix.length);
  return isValidSlug(slug) ? slug : null;
}

/** `?page=N`: absent is page 1; anything but a plain positive integer is no page at all. */
export function parsePage(value: string | undefined): number | null {
  if (value === undefined) return 1;
  return /^[1-9]\d{0,5}$/.test(value) ? Number(value) : null;
}
