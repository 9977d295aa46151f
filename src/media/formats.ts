/**
 * What the site serves under `/media/`: the names it accepts, the type each
 * is served with, what a file's first bytes say it is, and the limits an
 * image must keep. Pure, and shared by the worker (which checks before it
 * resizes) and the publish command (which checks before it uploads).
 */
import { imageDimensions, type Dimensions } from './dimensions.ts';

/** Content types by extension: images, and the audio, video and documents an article may link to. */
const MEDIA_TYPES: Record<string, string> = {
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
};

/** What the first bytes must be for each extension (`jpeg` as `jpg`). */
export type MediaFormat = 'svg' | 'png' | 'jpg' | 'webp' | 'avif' | 'gif' | 'pdf' | 'mp4' | 'webm' | 'mp3';

/** A media file name: lower-case path segments, ending in an extension we serve. */
export const MEDIA_NAME = /^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*(?:\/[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*)*\.(svg|png|jpe?g|webp|avif|gif|pdf|mp4|webm|mp3)$/;

/** The extensions an image (`![…](/media/…)`) may have. */
export const IMAGE_EXTENSIONS = ['svg', 'png', 'jpg', 'jpeg', 'webp', 'avif', 'gif'] as const;

/** Longest media name accepted. */
export const MAX_NAME_LENGTH = 200;

/** The largest image the site resizes or publishes: no side over 12,000 px, no more than 50 megapixels. */
export const MAX_IMAGE_SIDE = 12_000;
export const MAX_IMAGE_PIXELS = 50_000_000;

function extensionOf(name: string): string | null {
  const match = name.length <= MAX_NAME_LENGTH ? MEDIA_NAME.exec(name) : null;
  return match ? match[1]! : null;
}

/** The Content-Type a media name is served with, or null when not served at all. */
export function mediaType(name: string): string | null {
  const extension = extensionOf(name);
  return extension ? MEDIA_TYPES[extension]! : null;
}

/** The format a name's extension promises, or null when the name is not served. */
export function formatOfName(name: string): MediaFormat | null {
  const extension = extensionOf(name);
  return extension === null ? null : extension === 'jpeg' ? 'jpg' : (extension as MediaFormat);
}

/** Whether a media name is an image (may be shown with `![…]`). */
export function isImageName(name: string): boolean {
  const extension = extensionOf(name);
  return extension !== null && (IMAGE_EXTENSIONS as readonly string[]).includes(extension);
}

/** Raster images: the ones resized into variants (GIF keeps its animation, so it is served as it is). */
export function isResizable(format: MediaFormat | null): format is 'png' | 'jpg' | 'webp' | 'avif' {
  return format === 'png' || format === 'jpg' || format === 'webp' || format === 'avif';
}

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

/** The format a file's first bytes (a few KB suffice) say it is; null when they say nothing we serve. */
export function sniffFormat(bytes: Uint8Array): MediaFormat | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(bytes, 1, 3) === 'PNG' && bytes[4] === 0x0d && bytes[5] === 0x0a) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) return 'gif';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (bytes.length >= 12 && ascii(bytes, 4, 4) === 'ftyp') {
    const brand = ascii(bytes, 8, 4);
    return brand === 'avif' || brand === 'avis' ? 'avif' : 'mp4';
  }
  if (bytes.length >= 5 && ascii(bytes, 0, 5) === '%PDF-') return 'pdf';
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'webm';
  if (bytes.length >= 3 && (ascii(bytes, 0, 3) === 'ID3' || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0))) return 'mp3';
  const head = bytes.subarray(0, 4096);
  if (!head.includes(0)) {
    const text = new TextDecoder().decode(head);
    // An SVG: optional BOM, XML declaration, comments and doctype, then the root element.
    if (/^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i.test(text)) return 'svg';
  }
  return null;
}

/** Why a file may not be served under its name, or null when it may: checked on its first bytes. */
export function mediaProblem(name: string, head: Uint8Array, size: number): string | null {
  const promised = formatOfName(name);
  if (promised === null) return `"${name}" is not a media name: lower-case letters, digits, - and _, in folders, ending in ${Object.keys(MEDIA_TYPES).map((e) => `.${e}`).join(', ')}`;
  if (size === 0) return 'the file is empty';
  const found = sniffFormat(head);
  if (found === null) return `the file does not look like ${describe(promised)}: its first bytes match no format served`;
  if (found !== promised) return `the file is ${describe(found)}, but its name ends in .${name.slice(name.lastIndexOf('.') + 1)}: rename it to .${found}`;
  if (promised === 'svg' || !isImageName(name)) return null;
  const dimensions = imageDimensions(head);
  if (dimensions === null) return `the ${describe(found)} header is unreadable: the file is corrupt or cut short`;
  return sizeProblem(dimensions);
}

/** Why an image is too large to publish or resize, or null. */
export function sizeProblem({ width, height }: Dimensions): string | null {
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) return `the image is ${width}×${height} px; no side may exceed ${MAX_IMAGE_SIDE.toLocaleString('en')} px`;
  if (width * height > MAX_IMAGE_PIXELS) return `the image is ${((width * height) / 1e6).toFixed(1)} megapixels; at most ${MAX_IMAGE_PIXELS / 1e6} are allowed`;
  return null;
}

function describe(format: MediaFormat): string {
  return { svg: 'an SVG', png: 'a PNG', jpg: 'a JPEG', webp: 'a WebP', avif: 'an AVIF', gif: 'a GIF', pdf: 'a PDF', mp4: 'an MP4', webm: 'a WebM', mp3: 'an MP3' }[format];
}
