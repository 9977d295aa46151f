/**
 * HMAC-SHA256 signatures in base64url, for what the worker and the editors'
 * machines sign with a shared secret: preview links and purge requests.
 * Verification goes through `crypto.subtle.verify`, which compares in
 * constant time. Pure Web Crypto: the same code runs in workerd and in Node.
 */

const encoder = new TextEncoder();

async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

/** Length of a signature in base64url: 32 bytes. */
export const SIGNATURE_LENGTH = 43;

/** The base64url HMAC-SHA256 of `message` under `secret`. */
export async function sign(secret: string, message: string): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(message) as BufferSource);
  return base64url(new Uint8Array(signature));
}

/** Whether `signature` (base64url) signs `message` under `secret`; malformed signatures are simply false. */
export async function verify(secret: string, message: string, signature: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(signature)) return false;
  return crypto.subtle.verify('HMAC', await hmacKey(secret), fromBase64url(signature) as BufferSource, encoder.encode(message) as BufferSource);
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
