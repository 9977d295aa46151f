/**
 * Signed, expiring preview links for drafts:
 * `/preview/<slug>?expires=<unix seconds>&sig=<base64url HMAC-SHA256>`.
 *
 * The secret (`PREVIEW_SECRET`, set with `wrangler secret put`) never leaves
 * the worker and the editors' machines. A link names one slug and one expiry;
 * changing either breaks the signature.
 */

/** Links may not outlive this, however they were signed. */
export const MAX_PREVIEW_SECONDS = 30 * 24 * 3600;

/** How long the publish command's links last unless told otherwise. */
export const DEFAULT_PREVIEW_SECONDS = 7 * 24 * 3600;

const encoder = new TextEncoder();

async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

function message(slug: string, expires: number): Uint8Array {
  return encoder.encode(`broadsheet-preview\n${slug}\n${expires}`);
}

/** The signature for one slug and expiry. */
export async function signPreview(secret: string, slug: string, expires: number): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', await hmacKey(secret), message(slug, expires) as BufferSource);
  return base64url(new Uint8Array(signature));
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
  if (!expiresParam || !sigParam || !/^\d{1,12}$/.test(expiresParam) || !/^[A-Za-z0-9_-]{43}$/.test(sigParam)) return 'invalid';
  const expires = Number(expiresParam);
  const signature = fromBase64url(sigParam);
  const ok = await crypto.subtle.verify('HMAC', await hmacKey(secret), signature as BufferSource, message(slug, expires) as BufferSource);
  if (!ok) return 'invalid';
  const nowSeconds = Math.floor(now / 1000);
  if (expires < nowSeconds) return 'expired';
  if (expires > nowSeconds + MAX_PREVIEW_SECONDS) return 'invalid';
  return 'valid';
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
