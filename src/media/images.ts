/**
 * Image facts for the renderer: intrinsic sizes of the site's own media, read
 * once per isolate from the first bytes of each file (media never change under
 * a name), with the candidates `candidates.ts` offers for each.
 */
import type { ImageInfo } from '../content/markdown.ts';
import { LruCache } from '../storage/lru.ts';
import { mediaKey, readMediaHead, type MediaSources } from '../storage/media-store.ts';
import { CACHE_BOUNDS } from '../caches.ts';
import { DIMENSION_BYTES, imageDimensions, type Dimensions } from './dimensions.ts';
import { imageCandidates, mediaName, type ImageResizing } from './candidates.ts';

export type { ImageResizing } from './candidates.ts';

// Null for a media name that is missing or not an image we can measure.
const sizes = new LruCache<Dimensions | null>(CACHE_BOUNDS.imageSizes);

/**
 * Sizes of the given image URLs that are our own media. A media file that is
 * missing, unreadable or of an unknown layout simply has no size; a storage
 * failure is not worth failing a page for either.
 */
export async function loadImageSizes(sources: MediaSources, srcs: string[]): Promise<Map<string, Dimensions>> {
  const found = new Map<string, Dimensions>();
  await Promise.all([...new Set(srcs)].map(async (src) => {
    const name = mediaName(src);
    if (!name) return;
    let size = sizes.get(name);
    if (size === undefined) {
      try {
        const read = await readMediaHead(sources, name, DIMENSION_BYTES);
        size = read ? imageDimensions(read.head) : null;
      } catch (error) {
        console.warn(JSON.stringify({ event: 'media.size', key: mediaKey(name), error: String(error) }));
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
    candidates: (src, size) => imageCandidates(src, size, resizing),
  };
}
