/**
 * Intrinsic image sizes read from the first bytes of a file, so figures can
 * carry `width` and `height` and the page does not shift as images load.
 * Reads SVG (width/height or viewBox), PNG, GIF, JPEG, WebP and AVIF headers; any
 * other format, or a file it cannot make sense of, gives null.
 */

import type { Dimensions } from '../content/markdown.ts';

export type { Dimensions };

/** How many leading bytes are enough for every supported format's header. */
export const DIMENSION_BYTES = 256 * 1024;

function dims(width: number, height: number): Dimensions | null {
  return width > 0 && height > 0 && width < 100_000 && height < 100_000 ? { width: Math.round(width), height: Math.round(height) } : null;
}

export function imageDimensions(bytes: Uint8Array): Dimensions | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));
  if (bytes.length >= 24 && ascii(1, 3) === 'PNG' && ascii(12, 4) === 'IHDR') {
    return dims(view.getUint32(16), view.getUint32(20));
  }
  if (bytes.length >= 10 && ascii(0, 4) === 'GIF8') {
    return dims(view.getUint16(6, true), view.getUint16(8, true));
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpeg(bytes, view);
  if (bytes.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return webp(bytes, view, ascii);
  if (bytes.length >= 12 && ascii(4, 4) === 'ftyp' && (ascii(8, 4) === 'avif' || ascii(8, 4) === 'avis')) return avif(bytes, view);
  return svg(bytes);
}

function jpeg(bytes: Uint8Array, view: DataView): Dimensions | null {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) { i++; continue; }
    const length = view.getUint16(i + 2);
    // SOF0–SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return dims(view.getUint16(i + 7), view.getUint16(i + 5));
    }
    i += 2 + length;
  }
  return null;
}

function webp(bytes: Uint8Array, view: DataView, ascii: (at: number, length: number) => string): Dimensions | null {
  const chunk = ascii(12, 4);
  if (chunk === 'VP8 ') return dims(view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
  if (chunk === 'VP8L') {
    const b = view.getUint32(21, true);
    return dims((b & 0x3fff) + 1, ((b >> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') {
    const w = bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16);
    const h = bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16);
    return dims(w + 1, h + 1);
  }
  return null;
}

/**
 * AVIF (HEIF): the image spatial extents (`ispe`) property of the primary
 * item, read as the largest `ispe` in the header (tiles and thumbnails are
 * smaller than the image they belong to).
 */
function avif(bytes: Uint8Array, view: DataView): Dimensions | null {
  let best: Dimensions | null = null;
  const end = Math.min(bytes.length, 64 * 1024) - 16;
  for (let i = 12; i < end; i++) {
    if (bytes[i] !== 0x69 || bytes[i + 1] !== 0x73 || bytes[i + 2] !== 0x70 || bytes[i + 3] !== 0x65) continue; // "ispe"
    const found = dims(view.getUint32(i + 8), view.getUint32(i + 12));
    if (found && (!best || found.width * found.height > best.width * best.height)) best = found;
  }
  return best;
}

function svg(bytes: Uint8Array): Dimensions | null {
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  const tag = /<svg\b[^>]*>/i.exec(head)?.[0];
  if (!tag) return null;
  const attr = (name: string) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag)?.[1];
  const length = (value: string | undefined) => (value && /^\s*[\d.]+\s*(px)?\s*$/.test(value) ? parseFloat(value) : NaN);
  const width = length(attr('width'));
  const height = length(attr('height'));
  if (width > 0 && height > 0) return dims(width, height);
  const box = attr('viewBox')?.trim().split(/[\s,]+/).map(Number);
  if (box?.length === 4 && box.every(Number.isFinite)) return dims(box[2]!, box[3]!);
  return null;
}
