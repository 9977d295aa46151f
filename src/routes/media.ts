/**
 * `/media/<file>`: the site's media from the MEDIA bucket (or KV, for a
 * name R2 does not hold yet), and `/media/_/<width>/<file>[.avif|.webp]`:
 * resized variants of its raster images, made once by the Images binding
 * and kept in R2 under `variants/`. Every name is immutable (publishing
 * refuses new bytes under a published name), so every answer that is not an
 * error is cached for a year; ETags and 304s come from R2's own metadata,
 * single ranges are 206s and ranges past the end 416s.
 */
import type { Context, Handler } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { IMMUTABLE, NO_STORE } from '../http/cache-headers.ts';
import { mediaSources } from '../http/context.ts';
import { contentRange, parseRange } from '../http/range.ts';
import { mediaError } from '../http/respond.ts';
import { DIMENSION_BYTES } from '../media/dimensions.ts';
import { mediaProblem, mediaType } from '../media/formats.ts';
import { parseVariant, variantKey, variantType, type Variant } from '../media/variants.ts';
import { keepVariant, readMedia, readMediaHead, readVariantObject, type MediaRead, type MediaRequest } from '../storage/media-store.ts';

/** Encoder settings per format. Quality is honoured on Cloudflare; locally, sharp uses its defaults. */
const QUALITY = { avif: 60, webp: 75, jpg: 80, png: 90 } as const;

export const media: Handler<AppEnv> = async (c) => {
  const rest = c.get('path').slice('/media/'.length);
  if (new URL(c.req.url).search) {
    return mediaError(c, 400, 'media URLs take no parameters: a resized image is /media/_/<width>/<file>, at the widths each page offers');
  }
  if (rest.startsWith('_/')) return variant(c, rest.slice(2));
  const type = mediaType(rest);
  if (!type) return mediaError(c, 404, 'no such file');
  const read = await readMedia(mediaSources(c), rest, mediaRequest(c));
  if (!read) return mediaError(c, 404, 'no such file');
  return fileResponse(c, read, type);
};

/** A variant: from R2 when it has been made, else made now from the original and kept. */
async function variant(c: Context<AppEnv>, rest: string): Promise<Response> {
  const asked = parseVariant(rest);
  if (asked === null) return mediaError(c, 404, 'no such file');
  if ('error' in asked) return mediaError(c, 400, asked.error);
  const { MEDIA: bucket, IMAGES: images } = c.env;
  if (c.get('config').imageResizing !== 'images' || !bucket || !images) {
    return mediaError(c, 404, 'this site does not resize images (IMAGE_RESIZING is not "images")');
  }
  const sources = mediaSources(c);
  const key = variantKey(asked);
  const type = variantType(asked.format);
  const kept = await readVariantObject(sources, bucket, key, mediaRequest(c));
  if (kept) return fileResponse(c, kept, type);

  const original = await readMediaHead(sources, asked.name, DIMENSION_BYTES);
  if (!original) return mediaError(c, 404, 'no such file');
  const problem = mediaProblem(asked.name, original.head, original.size);
  if (problem) return mediaError(c, 422, `/media/${asked.name} cannot be resized: ${problem}`);
  const bytes = await resize(c, images, asked);
  if (bytes === null) return mediaError(c, 422, `/media/${asked.name} cannot be resized: the image service could not decode it`, { transient: true });
  const etag = await keepVariant(sources, bucket, key, bytes, type);
  console.log(JSON.stringify({ event: 'media.variant_made', key, bytes: bytes.byteLength }));
  return fileResponse(c, { status: 'found', size: bytes.byteLength, etag, from: 'r2', body: c.req.method === 'HEAD' ? null : bytes, range: null }, type);
}

/** The variant's bytes from the Images binding; null when it cannot decode the original. */
async function resize(c: Context<AppEnv>, images: ImagesBinding, asked: Variant): Promise<ArrayBuffer | null> {
  const original = await readMedia(mediaSources(c), asked.name);
  if (original?.status !== 'found' || original.body === null) return null;
  const body = original.body instanceof ArrayBuffer ? new Blob([original.body]).stream() : original.body;
  try {
    // scale-down: never wider than the original, whatever width was asked for.
    const result = await images.input(body as ReadableStream<Uint8Array>)
      .transform({ width: asked.width, fit: 'scale-down' })
      .output({ format: variantType(asked.format), quality: QUALITY[asked.format] });
    return await result.response().arrayBuffer();
  } catch (error) {
    console.warn(JSON.stringify({ event: 'media.resize_failed', name: asked.name, width: asked.width, format: asked.format, error: String(error) }));
    return null;
  }
}

/** What the request asks of a file: a range, a validator, or its headers alone. */
function mediaRequest(c: Context<AppEnv>): MediaRequest {
  return { range: parseRange(c.req.header('Range') ?? null), ifNoneMatch: c.req.header('If-None-Match') ?? null, headOnly: c.req.method === 'HEAD' };
}

/** A file's answer: 200 or 206 with its bytes, 304, or 416. */
function fileResponse(c: Context<AppEnv>, read: MediaRead, contentType: string): Response {
  if (read.status === 'unsatisfiable') {
    return c.body(null, 416, { 'Content-Range': `bytes */${read.size}`, 'Cache-Control': NO_STORE, 'Accept-Ranges': 'bytes' });
  }
  const headers: Record<string, string> = { ETag: read.etag, 'Cache-Control': IMMUTABLE, 'Accept-Ranges': 'bytes', 'X-Media-Source': read.from };
  if (read.status === 'not-modified') return c.body(null, 304, headers);
  headers['Content-Type'] = contentType;
  headers['Content-Length'] = String(read.range?.length ?? read.size);
  if (read.range) headers['Content-Range'] = contentRange(read.range, read.size);
  return new Response(read.body, { status: read.range ? 206 : 200, headers });
}
