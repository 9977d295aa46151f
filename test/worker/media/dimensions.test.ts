import { describe, expect, it } from 'vitest';
import { imageDimensions } from '../../../src/media/dimensions.ts';
import { pngHeader } from '../support/helpers.ts';

describe('imageDimensions', () => {
  const svg = (s: string) => new TextEncoder().encode(s);
  it('are read from SVG, PNG, GIF, JPEG and WebP headers', () => {
    expect(imageDimensions(svg('<svg width="300" height="150" xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({ width: 300, height: 150 });
    expect(imageDimensions(svg('<?xml version="1.0"?>\n<svg viewBox="0 0 1200 800">'))).toEqual({ width: 1200, height: 800 });
    expect(imageDimensions(svg('<svg width="100%" viewBox="0,0,64,48">'))).toEqual({ width: 64, height: 48 });
    expect(imageDimensions(pngHeader(640, 480))).toEqual({ width: 640, height: 480 });
    expect(imageDimensions(new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x20, 0x03, 0x58, 0x02]))).toEqual({ width: 800, height: 600 });
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 17, 8, 0x01, 0xe0, 0x02, 0x80, 3]);
    expect(imageDimensions(jpeg)).toEqual({ width: 640, height: 480 });
    const webp = new Uint8Array(30);
    webp.set(svg('RIFF'), 0); webp.set(svg('WEBP'), 8); webp.set(svg('VP8X'), 12);
    webp.set([0x1f, 0x03, 0x00, 0x57, 0x02, 0x00], 24); // 800 x 600, stored minus one
    expect(imageDimensions(webp)).toEqual({ width: 800, height: 600 });
  });

  it('are null for anything else', () => {
    expect(imageDimensions(svg('not an image'))).toBeNull();
    expect(imageDimensions(svg('<svg width="auto">'))).toBeNull();
    expect(imageDimensions(new Uint8Array([0xff, 0xd8, 0x00]))).toBeNull();
  });
});
