/**
 * Reading and keeping media: originals from the MEDIA bucket, falling back to
 * the KV namespace (where media lived before `npm run media:migrate`) for a
 * name R2 does not hold, and the variants the worker makes, in R2 alone.
 * Every call has a timeout and is counted for `Server-Timing`, like KV's.
 */
import type { KVNamespace, R2Bucket, R2Object, R2ObjectBody } from '@cloudflare/workers-types';
import { matchesEntityTag } from '../http/cache-headers.ts';
import type { ByteRange, RangeSpec } from '../http/range.ts';
import { resolveRange } from '../http/range.ts';
import type { Meter } from '../http/server-timing.ts';
import { storageCall } from './failures.ts';
import { MEDIA_PREFIX } from './kv-format.ts';
import { getMediaFile, type KvReadOptions } from './kv.ts';

/** Where media are read from. */
export interface MediaSources {
  /** Absent where the deployment has no MEDIA binding: KV alone then. */
  bucket: R2Bucket | undefined;
  kv: KVNamespace;
  kvOptions: KvReadOptions;
  meter?: Meter;
}

/** What a read asks for beyond the file: one range, the reader's `If-None-Match`, or the headers alone (HEAD). */
export interface MediaRequest {
  range?: RangeSpec | null;
  ifNoneMatch?: string | null;
  headOnly?: boolean;
}

/** A stored file's facts. */
interface Stored {
  size: number;
  /** Quoted, strong. */
  etag: string;
  from: 'r2' | 'kv';
}

export type MediaRead =
  | (Stored & { status: 'found'; body: ReadableStream | ArrayBuffer | null; range: ByteRange | null })
  | (Stored & { status: 'not-modified' })
  | { status: 'unsatisfiable'; size: number };

/** The R2 key (and KV key) of an original. */
export function mediaKey(name: string): string {
  return MEDIA_PREFIX + name;
}

/** An original, from R2 or else KV; null when neither holds it. */
export async function readMedia(sources: MediaSources, name: string, request: MediaRequest = {}): Promise<MediaRead | null> {
  const key = mediaKey(name);
  if (sources.bucket) {
    const found = await readObject(sources, sources.bucket, key, request);
    if (found) return found;
  }
  return readFromKv(sources, key, request);
}

/** A variant kept in R2, or null when it has not been made yet. */
export function readVariantObject(sources: MediaSources, bucket: R2Bucket, key: string, request: MediaRequest): Promise<MediaRead | null> {
  return readObject(sources, bucket, key, request);
}

/** Keeps a variant in R2 and returns its ETag. */
export async function keepVariant(sources: MediaSources, bucket: R2Bucket, key: string, bytes: ArrayBuffer, contentType: string): Promise<string> {
  const object = await r2(sources, `put ${key}`, () => bucket.put(key, bytes, { httpMetadata: { contentType } }));
  return object!.httpEtag;
}

/** The first `bytes` of an original (enough for its header), from R2 or else KV; null when neither holds it. */
export async function readMediaHead(sources: MediaSources, name: string, bytes: number): Promise<{ head: Uint8Array; size: number } | null> {
  const key = mediaKey(name);
  if (sources.bucket) {
    const bucket = sources.bucket;
    let object: R2ObjectBody | null;
    try {
      object = await r2(sources, `get ${key}`, () => bucket.get(key, { range: { offset: 0, length: bytes } }));
    } catch (error) {
      // R2 refuses any range of an empty object: a bad file, told apart by its size (one more call, only then).
      const stored = await r2(sources, `head ${key}`, () => bucket.head(key));
      if (stored?.size === 0) return { head: new Uint8Array(0), size: 0 };
      throw error;
    }
    if (object) return { head: new Uint8Array(await object.arrayBuffer()), size: object.size };
  }
  const value = await kvRead(sources, key);
  return value ? { head: new Uint8Array(value.bytes, 0, Math.min(bytes, value.bytes.byteLength)), size: value.bytes.byteLength } : null;
}

async function readObject(sources: MediaSources, bucket: R2Bucket, key: string, request: MediaRequest): Promise<MediaRead | null> {
  const { range: spec, ifNoneMatch } = request;
  // A range needs the size first; so does HEAD, which needs nothing else.
  if (spec || request.headOnly) {
    const head = await r2(sources, `head ${key}`, () => bucket.head(key));
    if (!head) return null;
    const facts = stored(head);
    if (ifNoneMatch && matchesEntityTag(ifNoneMatch, facts.etag)) return { ...facts, status: 'not-modified' };
    const range = spec ? resolveRange(spec, head.size) : null;
    if (spec && !range) return { status: 'unsatisfiable', size: head.size };
    if (request.headOnly) return { ...facts, status: 'found', body: null, range };
    const object = await r2(sources, `get ${key}`, () => bucket.get(key, { range: range! }));
    return object ? { ...facts, status: 'found', body: (object as R2ObjectBody).body as unknown as ReadableStream, range } : null;
  }
  const object = await r2(sources, `get ${key}`, () =>
    bucket.get(key, ifNoneMatch ? { onlyIf: new Headers({ 'If-None-Match': ifNoneMatch }) as never } : {}));
  if (!object) return null;
  const facts = stored(object);
  // R2 answers a matching If-None-Match with the object's facts and no body.
  if (!('body' in object)) return { ...facts, status: 'not-modified' };
  return { ...facts, status: 'found', body: (object as R2ObjectBody).body as unknown as ReadableStream, range: null };
}

async function readFromKv(sources: MediaSources, key: string, request: MediaRequest): Promise<MediaRead | null> {
  const value = await kvRead(sources, key);
  if (!value) return null;
  const size = value.bytes.byteLength;
  const facts: Stored = { size, etag: `"${value.hash}"`, from: 'kv' };
  if (request.ifNoneMatch && matchesEntityTag(request.ifNoneMatch, facts.etag)) return { ...facts, status: 'not-modified' };
  const range = request.range ? resolveRange(request.range, size) : null;
  if (request.range && !range) return { status: 'unsatisfiable', size };
  const body = request.headOnly ? null : range ? value.bytes.slice(range.offset, range.offset + range.length) : value.bytes;
  return { ...facts, status: 'found', body, range };
}

function kvRead({ kv, kvOptions, meter }: MediaSources, key: string): Promise<{ bytes: ArrayBuffer; hash: string } | null> {
  return getMediaFile(kv, key, kvOptions, meter);
}

function r2<T>(sources: MediaSources, what: string, call: () => Promise<T>): Promise<T> {
  const { meter, kvOptions } = sources;
  return storageCall(`R2 ${what}`, kvOptions.timeoutMs, () => (meter ? meter.call('r2', call) : call()));
}

function stored(object: R2Object): Stored {
  return { size: object.size, etag: object.httpEtag, from: 'r2' };
}
