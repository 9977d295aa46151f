/**
 * The purge request the editors' commands send to the deployed worker's
 * purge route (`POST /_purge`), and how the worker checks it. Workers Cache
 * can only be purged from inside the worker, so the CLI asks the worker to.
 *
 * The body is JSON, `{"tags": [...]}` or `{"everything": true}`. It is signed
 * with `PURGE_SECRET`: `X-Broadsheet-Signature` is the HMAC-SHA256 (base64url)
 * of `broadsheet-purge`, the Unix time in `X-Broadsheet-Timestamp`, and the
 * body, one per line. A request older or newer than
 * {@link PURGE_REPLAY_SECONDS} is refused, so a captured request cannot be
 * replayed later; within that window a replay only purges the same tags again.
 */
import { isValidTag } from './cache-tags.ts';
import { sign, verify } from './hmac.ts';

export const PURGE_PATH = '/_purge';
export const TIMESTAMP_HEADER = 'X-Broadsheet-Timestamp';
export const SIGNATURE_HEADER = 'X-Broadsheet-Signature';

/** How far a request's timestamp may be from the worker's clock, either way. */
export const PURGE_REPLAY_SECONDS = 300;

/** Tags one request may name: three of Workers Cache's purge calls of 100 tags each. */
export const MAX_PURGE_TAGS = 300;

/** Tags in one `ctx.cache.purge` call (Cloudflare's limit). */
export const TAGS_PER_PURGE_CALL = 100;

/** A body larger than this is refused before it is parsed. */
export const MAX_PURGE_BODY_BYTES = 64 * 1024;

export type PurgeBody = { tags: string[] } | { everything: true };

function message(timestamp: string, body: string): string {
  return `broadsheet-purge\n${timestamp}\n${body}`;
}

/** Headers and body for a signed purge request at `now` (ms). */
export function signPurge(secret: string, body: PurgeBody, now: number): Promise<{ headers: Record<string, string>; body: string }> {
  return signPurgeText(secret, JSON.stringify(body), now);
}

/** Signs a body as given, for tests that must send what a purge body may not be. */
export async function signPurgeText(secret: string, text: string, now: number): Promise<{ headers: Record<string, string>; body: string }> {
  const timestamp = String(Math.floor(now / 1000));
  return {
    headers: {
      'Content-Type': 'application/json',
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: await sign(secret, message(timestamp, text)),
    },
    body: text,
  };
}

/** Why a purge request was refused, as a status and a message the CLI shows. */
export interface PurgeRefusal {
  status: 400 | 401 | 413 | 415;
  message: string;
}

/**
 * Checks a purge request's signature, age and body. The signature is checked
 * before the body is parsed, so nobody without the secret reaches the parser.
 */
export async function verifyPurge(
  secret: string, headers: Headers, body: string, now: number,
): Promise<{ ok: true; body: PurgeBody } | { ok: false; refusal: PurgeRefusal }> {
  const refuse = (status: PurgeRefusal['status'], message: string) => ({ ok: false as const, refusal: { status, message } });
  if (!/^application\/json\s*(;|$)/i.test(headers.get('Content-Type') ?? '')) return refuse(415, 'the body must be application/json');
  if (new TextEncoder().encode(body).byteLength > MAX_PURGE_BODY_BYTES) return refuse(413, `the body is over ${MAX_PURGE_BODY_BYTES} bytes`);
  const timestamp = headers.get(TIMESTAMP_HEADER) ?? '';
  const signature = headers.get(SIGNATURE_HEADER) ?? '';
  if (!/^\d{1,12}$/.test(timestamp) || !signature) return refuse(401, `sign the request: ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} are required`);
  if (!(await verify(secret, message(timestamp, body), signature))) return refuse(401, 'the signature does not match: check PURGE_SECRET');
  const skew = Number(timestamp) - Math.floor(now / 1000);
  if (Math.abs(skew) > PURGE_REPLAY_SECONDS) {
    return refuse(401, `the request is ${Math.abs(skew)} s ${skew < 0 ? 'old' : 'in the future'}; at most ${PURGE_REPLAY_SECONDS} s is accepted (check the clock)`);
  }
  return parsePurgeBody(body);
}

/** The body's shape: a list of valid, distinct tags within the limit, or `everything`. */
export function parsePurgeBody(body: string): { ok: true; body: PurgeBody } | { ok: false; refusal: PurgeRefusal } {
  const refuse = (status: PurgeRefusal['status'], message: string) => ({ ok: false as const, refusal: { status, message } });
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return refuse(400, 'the body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refuse(400, 'the body must be an object: {"tags": [...]} or {"everything": true}');
  const keys = Object.keys(value);
  if (keys.length === 1 && (value as { everything?: unknown }).everything === true) return { ok: true, body: { everything: true } };
  const tags = (value as { tags?: unknown }).tags;
  if (keys.length !== 1 || !Array.isArray(tags)) return refuse(400, 'the body must be {"tags": [...]} or {"everything": true}');
  if (tags.length === 0) return refuse(400, 'name at least one tag');
  if (tags.length > MAX_PURGE_TAGS) return refuse(413, `${tags.length} tags; at most ${MAX_PURGE_TAGS} per request (purge broader tags such as "articles" or "index")`);
  const bad = tags.find((t) => typeof t !== 'string' || !isValidTag(t));
  if (bad !== undefined) return refuse(400, `not a tag: ${JSON.stringify(bad).slice(0, 100)} (printable ASCII without spaces or commas, at most 1,024 characters)`);
  return { ok: true, body: { tags: [...new Set(tags as string[])] } };
}
