/**
 * Signed, expiring preview links for drafts:
 * `/preview/<slug>?expires=<unix seconds>&sig=<base64url HMAC-SHA256>`.
 *
 * The secret (`PREVIEW_SECRET`, set with `wrangler secret put`) never leaves
 * the worker and the editors' machines. A link names one slug and one expiry;
 * changing either breaks the signature.
 */
import { sign, verify } from './hmac.ts';

/** Links may not outlive this, however they were signed. */
export const MAX_PREVIEW_SECONDS = 30 * 24 * 3600;

/** How long the publish command's links last unless told otherwise. */
export const DEFAULT_PREVIEW_SECONDS = 7 * 24 * 3600;

function message(slug: string, expires: number): string {
  return `broadsheet-preview\n${slug}\n${expires}`;
}

/** The signature for one slug and expiry. */
export async function signPreview(secret: string, slug: string, expires: number): Promise<string> {
  return sign(secret, message(slug, expires));
}

/** A complete preview path and query for `slug`, valid for `seconds`. */
export async function previewPath(secret: string, slug: string, now: number, seconds = DEFAULT_PREVIEW_SECONDS): Promise<string> {
  const expires = Math.floor(now / 1000) + Math.min(seconds, MAX_PREVIEW_SECONDS);
  return `/preview/${slug}?expires=${expires}&sig=${await signPreview(secret, slug, expires)}`;
}

export type PreviewCheck = 'valid' | 'expired' | 'invalid';

/** Checks a link's query values; comparison is constant-time (`crypto.subtle.verify`). */
export async function verifyPreview(
  secret: string,
  slug: string,
  expiresParam: string | undefined,
  sigParam: string | undefined,
  now: number,
): Promise<PreviewCheck> {
  if (!expiresParam || !sigParam || !/^\d{1,12}$/.test(expiresParam)) return 'invalid';
  const expires = Number(expiresParam);
  if (!(await verify(secret, message(slug, expires), sigParam))) return 'invalid';
  const nowSeconds = Math.floor(now / 1000);
  if (expires < nowSeconds) return 'expired';
  if (expires > nowSeconds + MAX_PREVIEW_SECONDS) return 'invalid';
  return 'valid';
}
