/**
 * Resized variants of the site's raster images: which exist, what they are
 * called, and which a page offers. Pure.
 *
 * A variant's URL names everything that makes it, and nothing else can be
 * asked for: `/media/_/<width>/<name>` in the original's own format, or
 * `/media/_/<width>/<name>.avif` and `.webp`. The width must be one of
 * {@link VARIANT_WIDTHS}; a variant is never wider than its original (the
 * largest one offered is the original's own width, under the next allowed
 * width's URL). So each image has at most 6 widths × 3 formats = 18
 * variants, whatever a client sends. `_` cannot begin a media name, so no
 * published file can be taken for a variant.
 */
import type { ImageCandidates } from '../content/markdown.ts';
import { formatOfName, isResizable, type MediaFormat } from './formats.ts';

/** The widths variants are made at, in CSS pixels at 1x: phones at 1x to 3x, the article column, wide screens at 2x. */
export const VARIANT_WIDTHS = [400, 640, 960, 1280, 1920, 2560] as const;

export type VariantFormat = 'avif' | 'webp' | 'jpg' | 'png';

/** Modern formats offered in `<source>` elements, best first. */
export const MODERN_FORMATS = ['avif', 'webp'] as const;

const MIME: Record<VariantFormat, 'image/avif' | 'image/webp' | 'image/jpeg' | 'image/png'> = {
  avif: 'image/avif', webp: 'image/webp', jpg: 'image/jpeg', png: 'image/png',
};

export const VARIANTS_PATH = '/media/_/';
/** Where variants are kept in the MEDIA bucket. */
export const VARIANTS_PREFIX = 'variants/';

export interface Variant {
  /** The original's media name. */
  name: string;
  width: number;
  format: VariantFormat;
}

/** The Content-Type a variant is made and served in. */
export function variantType(format: VariantFormat): 'image/avif' | 'image/webp' | 'image/jpeg' | 'image/png' {
  return MIME[format];
}

/** The format an original's own-format variant has (AVIF and WebP originals resize into their own format too). */
function ownFormat(format: MediaFormat | null): VariantFormat | null {
  if (!isResizable(format)) return null;
  return format === 'avif' || format === 'webp' || format === 'png' ? format : 'jpg';
}

/** A variant's URL path. */
export function variantPath(name: string, width: number, format: VariantFormat): string {
  return `${VARIANTS_PATH}${width}/${name}${ownFormat(formatOfName(name)) === format ? '' : `.${format}`}`;
}

/** The R2 key a variant is kept under: always with its format, so each variant has one key. */
export function variantKey({ name, width, format }: Variant): string {
  return `${VARIANTS_PREFIX}${width}/${name}.${format}`;
}

/** The variant a path under `/media/_/` asks for, or why it cannot be had (a 400), or null when there is no such image (a 404). */
export function parseVariant(rest: string): Variant | { error: string } | null {
  const slash = rest.indexOf('/');
  const widthText = slash === -1 ? rest : rest.slice(0, slash);
  const width = /^[1-9]\d{0,4}$/.test(widthText) ? Number(widthText) : NaN;
  if (!(VARIANT_WIDTHS as readonly number[]).includes(width)) {
    return { error: `variants are made at widths ${VARIANT_WIDTHS.join(', ')} only, not ${JSON.stringify(widthText.slice(0, 20))}` };
  }
  if (slash === -1) return null;
  const path = rest.slice(slash + 1);
  for (const format of MODERN_FORMATS) {
    const name = path.endsWith(`.${format}`) ? path.slice(0, -format.length - 1) : null;
    if (name !== null && isResizable(formatOfName(name))) return { name, width, format };
  }
  const own = ownFormat(formatOfName(path));
  if (own) return { name: path, width, format: own };
  if (formatOfName(path) !== null) return { error: `${path} is not a raster image: only PNG, JPEG, WebP and AVIF images have variants` };
  return null;
}

/**
 * The variants a page offers for an image of `width` px: every allowed width
 * below it, then the next allowed width's URL (which is made at the
 * original's own width, since variants never upscale) described as `width`.
 * Null for an image that has no variants (SVG, GIF).
 */
export function variantCandidates(name: string, width: number): ImageCandidates | null {
  const own = ownFormat(formatOfName(name));
  if (!own) return null;
  const below = VARIANT_WIDTHS.filter((w) => w < width);
  const next = VARIANT_WIDTHS.find((w) => w >= width);
  const steps: [urlWidth: number, described: number][] = [...below.map((w) => [w, w] as [number, number]), ...(next ? [[next, width] as [number, number]] : [])];
  const srcset = (format: VariantFormat) => steps.map(([at, described]) => `${variantPath(name, at, format)} ${described}w`).join(', ');
  // Only formats better than the original's own: an AVIF original needs no WebP in front of it.
  const better = own === 'avif' ? [] : own === 'webp' ? (['avif'] as const) : MODERN_FORMATS;
  return { sources: better.map((f) => ({ type: variantType(f), srcset: srcset(f) })), srcset: srcset(own) };
}
