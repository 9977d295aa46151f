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

/** True when `value` is a well-formed article slug. */
export function isValidSlug(value: string): boolean {
  return value.length > 0 && value.length <= MAX_SLUG_LENGTH && SLUG_PATTERN.test(value);
}

/** One slug segment: what a `section` must look like. */
export const SEGMENT_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
