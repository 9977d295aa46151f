/**
 * `Range: bytes=…` requests (RFC 9110 §14): one range is served as a 206;
 * several ranges, other units or a malformed header are ignored and the
 * whole file is sent, as the RFC allows. Pure.
 */

/** A range as asked for, before the file's size is known. */
export type RangeSpec = { start: number; end?: number } | { suffix: number };

/** The bytes to send: `offset` and `length`, within the file. */
export interface ByteRange {
  offset: number;
  length: number;
}

/** The single byte range a `Range` header asks for, or null when it is to be ignored. */
export function parseRange(header: string | null): RangeSpec | null {
  if (header === null || header.length > 100) return null;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return null;
  const [, first, last] = match;
  if (first === '' && last === '') return null;
  if (first === '') return { suffix: Number(last) };
  const start = Number(first);
  if (last === '') return { start };
  const end = Number(last);
  return end < start ? null : { start, end };
}

/** The range within a file of `size` bytes, or null when none of it is there (a 416). */
export function resolveRange(spec: RangeSpec, size: number): ByteRange | null {
  if ('suffix' in spec) {
    if (spec.suffix === 0 || size === 0) return null;
    const length = Math.min(spec.suffix, size);
    return { offset: size - length, length };
  }
  if (spec.start >= size) return null;
  const end = Math.min(spec.end ?? size - 1, size - 1);
  return { offset: spec.start, length: end - spec.start + 1 };
}

/** `Content-Range` of a 206. */
export function contentRange({ offset, length }: ByteRange, size: number): string {
  return `bytes ${offset}-${offset + length - 1}/${size}`;
}
