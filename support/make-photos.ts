/**
 * `npm run media:samples`: draws the sample photographs under
 * articles/media/ from code, so the samples need no one else's pictures.
 * Each scene is painted pixel by pixel (sky, water, land, light, and
 * several octaves of seeded noise for the grain a camera leaves), then
 * encoded by sharp as a camera would deliver it: a large JPEG. The same
 * seed gives the same bytes, so running it again changes nothing a publish
 * would see (published media names are immutable).
 */
import path from 'node:path';
import sharp from 'sharp';

const OUT = path.resolve(import.meta.dirname, '..', 'articles', 'media');

/** A seeded hash of a lattice point, in [0, 1). */
function lattice(seed: number, x: number, y: number): number {
  let h = (x * 374761393 + y * 668265263 + seed * 144665) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Smooth value noise in [0, 1) at (x, y), with lattice spacing 1. */
function noise(seed: number, x: number, y: number): number {
  const xi = Math.floor(x), yi = Math.floor(y);
  const fx = x - xi, fy = y - yi;
  const sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
  const a = lattice(seed, xi, yi), b = lattice(seed, xi + 1, yi), c = lattice(seed, xi, yi + 1), d = lattice(seed, xi + 1, yi + 1);
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
}

/** Fractal noise: `octaves` layers, each twice as fine and half as strong. */
function fbm(seed: number, x: number, y: number, octaves: number): number {
  let sum = 0, amplitude = 0.5, frequency = 1;
  for (let i = 0; i < octaves; i++) {
    sum += amplitude * noise(seed + i, x * frequency, y * frequency);
    amplitude /= 2;
    frequency *= 2;
  }
  return sum;
}

type Rgb = [number, number, number];
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

interface Scene {
  name: string;
  width: number;
  height: number;
  /** The colour at (u, v), both in [0, 1], v downwards. */
  paint(u: number, v: number, aspect: number): Rgb;
}

const scenes: Scene[] = [
  {
    // A harbour at first light: a low sun over a still sea, a breakwater, boats at their moorings.
    name: 'harbour-first-light.jpg', width: 2400, height: 1600,
    paint(u, v, aspect) {
      const horizon = 0.56;
      const sun = Math.hypot((u - 0.68) * aspect, v - 0.47);
      if (v < horizon) {
        const sky = mix([246, 176, 112], [64, 92, 150], Math.pow(1 - v / horizon, 1.3));
        const cloud = Math.max(0, fbm(3, u * 6 * aspect, v * 14, 5) - 0.52) * 2.2;
        const glow = Math.max(0, 1 - sun * 3.2);
        let c = mix(sky, [255, 226, 188], cloud * 0.6);
        c = mix(c, [255, 240, 200], glow * glow);
        if (sun < 0.035) c = [255, 246, 226];
        // The breakwater and the harbour light.
        const wall = horizon - 0.035 - 0.01 * Math.sin(u * 9);
        if (u < 0.46 && v > wall) c = mix([38, 34, 40], [62, 54, 58], fbm(9, u * 80, v * 80, 3));
        if (u > 0.395 && u < 0.41 && v > horizon - 0.16) c = [52, 46, 50];
        return c;
      }
      const depth = (v - horizon) / (1 - horizon);
      const ripple = fbm(5, u * 40 * aspect, depth * depth * 900 + 7, 4);
      let c = mix([196, 142, 116], [28, 48, 78], Math.pow(depth, 0.7));
      // The sun's road on the water.
      const road = Math.max(0, 1 - Math.abs(u - 0.68) * (6 - depth * 3)) * (ripple > 0.5 ? 1 : 0.35);
      c = mix(c, [255, 214, 160], road * (1 - depth) * 0.9);
      c = mix(c, [18, 30, 52], (ripple - 0.5) * 0.5);
      // Two moored boats.
      for (const [bu, bv, bw] of [[0.22, 0.68, 0.09], [0.5, 0.74, 0.12]] as const) {
        if (Math.abs(u - bu) < bw / 2 && v > bv && v < bv + 0.03 + 0.02 * (1 - Math.abs(u - bu) / (bw / 2))) c = [30, 26, 32];
        if (Math.abs(u - bu) < 0.003 && v > bv - 0.12 && v <= bv) c = [40, 34, 40];
      }
      return c;
    },
  },
  {
    // Allotment beds on a slope in late summer: rows running to a hedge, a shed, a pale sky.
    name: 'allotment-rows.jpg', width: 2400, height: 1600,
    paint(u, v, aspect) {
      const ridge = 0.34 + 0.05 * Math.sin(u * 5 + 1) + 0.03 * fbm(11, u * 8, 0, 3);
      if (v < ridge) {
        const c = mix([214, 226, 236], [150, 184, 220], 1 - v / ridge);
        return mix(c, [250, 250, 248], Math.max(0, fbm(13, u * 5 * aspect, v * 10, 5) - 0.55) * 2);
      }
      if (v < ridge + 0.05) return mix([52, 82, 44], [84, 110, 60], fbm(17, u * 120, v * 120, 4));
      const depth = (v - ridge - 0.05) / (1 - ridge - 0.05);
      // Rows converge on a vanishing point above the frame.
      const row = ((u - 0.5) / (0.25 + depth) + 10) * 7;
      const inRow = Math.abs((row % 1) - 0.5) < 0.3;
      const leaf = fbm(19, u * 300 * aspect, v * 300, 4);
      let c: Rgb = inRow ? mix([70, 122, 52], [142, 176, 70], leaf) : mix([96, 70, 48], [132, 100, 70], leaf);
      c = mix(c, [40, 40, 30], (1 - depth) * 0.25);
      // The shed.
      if (u > 0.74 && u < 0.86 && v > ridge - 0.02 && v < ridge + 0.12) c = mix([120, 84, 60], [150, 110, 80], fbm(23, u * 200, v * 40, 3));
      if (u > 0.72 && u < 0.88 && v > ridge - 0.05 && v <= ridge - 0.02 + (Math.abs(u - 0.8) * 0.3)) c = [70, 60, 64];
      return c;
    },
  },
  {
    // A river estuary in morning mist, taller than wide: reeds in front, water, a far bank fading out.
    name: 'estuary-mist.jpg', width: 1600, height: 2000,
    paint(u, v, aspect) {
      const mist = fbm(29, u * 3 * aspect, v * 6, 5);
      const bank = 0.42 + 0.02 * Math.sin(u * 7);
      let c: Rgb;
      if (v < bank) c = mix([212, 214, 210], [176, 186, 190], v / bank);
      else if (v < bank + 0.03) c = mix([120, 130, 124], [176, 182, 180], mist);
      else c = mix([160, 170, 172], [70, 86, 94], (v - bank) / (1 - bank));
      c = mix(c, [230, 232, 228], Math.max(0, mist - 0.45) * 1.4);
      // Reeds in the foreground.
      const blade = noise(31, u * 220, 0);
      if (v > 0.72 + blade * 0.2) c = mix([92, 84, 52], [150, 132, 80], fbm(37, u * 400, v * 30, 3));
      return c;
    },
  },
];

for (const scene of scenes) {
  const { width, height } = scene;
  const pixels = Buffer.alloc(width * height * 3);
  const aspect = width / height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = scene.paint(x / width, y / height, aspect);
      // Sensor grain: fine noise, a little stronger in the shadows.
      const grain = (lattice(41, x, y) - 0.5) * (14 - (r + g + b) / 90);
      const i = (y * width + x) * 3;
      pixels[i] = clamp(r + grain);
      pixels[i + 1] = clamp(g + grain);
      pixels[i + 2] = clamp(b + grain);
    }
  }
  const file = path.join(OUT, scene.name);
  const info = await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90, chromaSubsampling: '4:4:4', mozjpeg: false }).toFile(file);
  console.log(`${path.relative(process.cwd(), file)}: ${width}×${height}, ${(info.size / 1e6).toFixed(2)} MB`);
}
