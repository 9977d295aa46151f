/**
 * Image facts for the renderer: intrinsic sizes of the site's own media, read
 * once per isolate from the first bytes of each file (media never change under
 * a name), and `srcset` candidates when an image-resizing service is on.
 */
import type { KVNamespace } from '@cloudflare/workers-types';
import type { Meter } from '../http/server-timing.ts';
import type { ImageInfo } from '../content/markdown.ts';
import { DIMENSION_BYTES, imageDimensions, type Dimensions } from './dimensions.ts';
import { getMediaHead, type KvReadOptions } from '../storage/kv.ts';
import { MEDIA_PREFIX, mediaType } from '../storage/kv-format.ts';
import { LruCache } from '../storage/lru.ts';
import { CACHE_BOUNDS } from '../caches.ts';

/** `IMAGE_RESIZING`: none, or Cloudflare's `/cdn-cgi/image/` service on the zone. */
export type ImageResizing = 'none' | 'cloudflare';

const WIDTHS = [480, 800, 1200, 1600, 2400];
// Null for a media name that is missing or not an image we can measure.
const sizes = new LruCache<Dimensions | null>(CACHE_BOUNDS.imageSizes);

/** The media name behind a `/media/...` URL, or null for anything else. */
function mediaName(src: string): string | null {
  if (!src.startsWith('/media/')) return null;
  const name = src.slice('/media/'.length);
  return mediaType(name) ? name : null;
}

/**
 * Sizes of the given image URLs that are our own media. A media file that is
 * missing, unreadable or of an unknown layout simply has no size; a KV failure
 * is not worth failing a page for either.
 */
export async function loadImageSizes(kv: KVNamespace, srcs: string[], options: KvReadOptions, meter?: Meter): Promise<Map<string, Dimensions>> {
  const found = new Map<string, Dimensions>();
  await Promise.all([...new Set(srcs)].map(async (src) => {
    const name = mediaName(src);
    if (!name) return;
    let size = sizes.get(name);
    if (size === undefined) {
      try {
        const head = await getMediaHead(kv, name, DIMENSION_BYTES, options, meter);
        size = head ? imageDimensions(head) : null;
      } catch (error) {
        console.warn(JSON.stringify({ event: 'media.size', key: MEDIA_PREFIX + name, error: String(error) }));
        return;
      }
      sizes.set(name, size);
    }
    if (size) found.set(src, size);
  }));
  return found;
}

/** An {@link ImageInfo} over sizes looked up beforehand. */
export function imageInfo(found: Map<string, Dimensions>, resizing: ImageResizing): ImageInfo {
  return {
    size: (src) => found.get(src),
    srcset: (src, size) => resizedSrcset(src, size, resizing),
  };
}

/**
 * Width candidates from Cloudflare's image service for a raster image of ours:
 * every standard width below the intrinsic one, and the intrinsic one. SVG
 * scales by itself and gets none.
 */
export function resizedSrcset(src: string, size: Dimensions, resizing: ImageResizing): string | undefined {
  const name = mediaName(src);
  if (resizing !== 'cloudflare' || !name || name.endsWith('.svg')) return undefined;
  const widths = [...WIDTHS.filter((w) => w < size.width), size.width];
  return widths.map((w) => `/cdn-cgi/image/width=${w},quality=82,format=auto${src} ${w}w`).join(', ');
}
