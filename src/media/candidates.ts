/**
 * The resized candidates a page offers for an image of ours, by
 * `IMAGE_RESIZING`: the worker's own variants (`"images"`), Cloudflare's
 * `/cdn-cgi/image/` service (`"cloudflare"`), or none. Pure.
 */
import type { Dimensions, ImageCandidates } from '../content/markdown.ts';
import { formatOfName, isImageName, isResizable, sizeProblem } from './formats.ts';
import { VARIANT_WIDTHS, variantCandidates } from './variants.ts';

/** `IMAGE_RESIZING`: the worker's variants, Cloudflare's `/cdn-cgi/image/` service on the zone, or none. */
export type ImageResizing = 'images' | 'cloudflare' | 'none';

const CLOUDFLARE_WIDTHS = [480, 800, 1200, 1600, 2400];

/** The media name behind a `/media/...` URL of an image, or null for anything else. */
export function mediaName(src: string): string | null {
  if (!src.startsWith('/media/')) return null;
  const name = src.slice('/media/'.length);
  return isImageName(name) ? name : null;
}

/**
 * What a page offers for an image of ours at `size`: the worker's variants
 * in AVIF, WebP and the original's format; or one srcset of Cloudflare's
 * service (which picks the format by `Accept` itself); or nothing. SVG
 * scales by itself and GIF keeps its animation: neither gets any, nor does
 * an image too large to resize.
 */
export function imageCandidates(src: string, size: Dimensions, resizing: ImageResizing): ImageCandidates | null {
  const name = mediaName(src);
  if (resizing === 'none' || !name || !isResizable(formatOfName(name)) || sizeProblem(size)) return null;
  if (resizing === 'images') return variantCandidates(name, size.width);
  const widths = [...CLOUDFLARE_WIDTHS.filter((w) => w < size.width), size.width];
  return { sources: [], srcset: widths.map((w) => `/cdn-cgi/image/width=${w},quality=82,format=auto${src} ${w}w`).join(', ') };
}

/**
 * Candidates for a card's picture on a list page, whose intrinsic size the
 * index does not hold: every allowed width (a variant is never wider than its
 * original, so the widest ones may be the original's own width).
 */
export function cardCandidates(src: string, resizing: ImageResizing): ImageCandidates | null {
  const name = mediaName(src);
  if (resizing !== 'images' || !name) return null;
  return variantCandidates(name, VARIANT_WIDTHS.at(-1)! + 1);
}
