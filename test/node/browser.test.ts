// What readers see, in a real browser: Debian's Chromium driven by
// playwright-core against the bundled worker in workerd, with the sample
// articles published into its KV.
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewPath } from '../../src/content/preview-link.ts';
import { VARIANT_WIDTHS } from '../../src/media/variants.ts';
import { launchChromium } from '../../support/browser.ts';
import { seedBanners, seedFronts, seedSamples, seedTakedown } from '../../support/seed.ts';
import { ROOT, TEST_PREVIEW_SECRET, startWorker, type WorkerServer } from '../../support/worker-server.ts';

/** Where the screenshots go, for a person to look at (named in the README). */
export const SCREENSHOTS = path.join(ROOT, 'screenshots');

const ARTICLE = '/articles/local/harbour-ferry-returns';
const FIGURES = '/articles/science/rock-pool-census';
const PHOTOS = '/articles/local/fish-quay-first-light';
let worker: WorkerServer;
let browser: Browser;
let pages: Record<string, string>;
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

beforeAll(async () => {
  worker = await startWorker({ vars: { BANNER_LOCAL_COUNTS: 'true' } });
  await seedSamples(worker);
  await seedFronts(worker);
  await seedBanners(worker);
  await seedTakedown(worker, 'local/withdrawn-story', 'The article was removed after a complaint we upheld.');
  browser = await launchChromium();
  pages = {
    'front (UK)': '/',
    'front (US)': '/',
    'edition uk': '/editions/uk',
    'edition us': '/editions/us',
    latest: '/latest',
    'article (UK)': ARTICLE,
    'article (US)': FIGURES,
    section: '/sections/world',
    topic: '/tags/transport',
    author: '/authors/isla-penrose',
    search: '/search?q=harbour',
    gallery: '/gallery/science/rock-pool-census',
    'not found': '/articles/no-such-story',
    'corrected article': '/articles/local/bridge-repairs',
    corrections: '/corrections',
    'taken down': '/articles/local/withdrawn-story',
    'rtl article': '/articles/world/middle-east/amman-rooftop-library',
    'photo article': PHOTOS,
    'draft preview': await previewPath(TEST_PREVIEW_SECRET, 'business/bakery-cooperative', Date.now()),
  };
  await mkdir(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await worker?.close();
});

/** Opens `path` and collects console errors, page errors (CSP violations land there) and failed requests. */
async function open(path: string, options: BrowserContextOptions = {}, country = 'GB') {
  const context = await browser.newContext({ extraHTTPHeaders: { 'CF-IPCountry': country }, ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  const response = await page.goto(worker.url + path, { waitUntil: 'load' });
  return { context, page, problems, status: response?.status() };
}

/** The page's cumulative layout shift, from load until 300 ms after it (not caused by input). */
function layoutShift(page: Page): Promise<number> {
  return page.evaluate(() => new Promise<number>((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        if (!entry.hadRecentInput) total += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => resolve(total), 300);
  }));
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run());
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * A screenshot is a PNG as wide as the viewport and at least as tall (the
 * whole page), and not blank: a page of one colour compresses to a few
 * hundred bytes, one with text and pictures to tens of kilobytes.
 */
function expectPagePng(png: Buffer, width: number, what: string): void {
  expect(png.subarray(0, 8).toString('latin1'), what).toBe('\x89PNG\r\n\x1a\n');
  expect(png.readUInt32BE(16), `${what}: width`).toBe(width);
  expect(png.readUInt32BE(20), `${what}: height`).toBeGreaterThanOrEqual(900);
  expect(png.byteLength, `${what}: bytes`).toBeGreaterThan(10_000);
}

describe('every kind of page', () => {
  it('loads with no console errors, no CSP violations and no failed requests', async () => {
    for (const [name, path] of Object.entries(pages)) {
      const { context, problems, status } = await open(path, {}, name.includes('US') ? 'US' : 'GB');
      const expected = name === 'not found' ? 404 : name === 'taken down' ? 410 : 200;
      expect(status, name).toBe(expected);
      // Chromium reports an error page's own status as a console error; that one is expected.
      const unexpected = expected === 200 ? problems : problems.filter((p) => !p.includes(`status of ${expected}`));
      expect(unexpected, name).toEqual([]);
      await context.close();
    }
  });

  it('has no serious or critical axe violations, in light and in dark mode', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const [name, path] of Object.entries(pages)) {
        // axe is injected from outside the page, so this context alone bypasses the CSP.
        const { context, page } = await open(path, { colorScheme, bypassCSP: true }, name.includes('US') ? 'US' : 'GB');
        expect(await axeViolations(page), `${name}, ${colorScheme}`).toEqual([]);
        await context.close();
      }
    }
  }, 240_000);

  it('fits every width from 320 px up without sideways scrolling', async () => {
    for (const width of [320, 375, 768, 1280, 1920]) {
      for (const path of [pages['front (UK)']!, pages['edition us']!, pages.latest!, ARTICLE, FIGURES, pages.search!, pages.author!, pages.gallery!]) {
        const { context, page } = await open(path, { viewport: { width, height: 800 } });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${path} at ${width}px`).toBeLessThanOrEqual(0);
        await context.close();
      }
    }
  }, 240_000);

  it('writes screenshots at 375 px and 1280 px for people to look at, each a whole page with its heading in view', async () => {
    for (const width of [375, 1280]) {
      for (const [name, path] of Object.entries(pages)) {
        const { context, page } = await open(path, { viewport: { width, height: 900 } }, name.includes('US') ? 'US' : 'GB');
        // A front's h1 is for screen readers (the masthead names the edition); its first container heading is what shows.
        const heading = name.startsWith('front') || name.startsWith('edition') ? '.container-title' : 'h1';
        expect(await page.locator(heading).first().isVisible(), `${name} at ${width}px`).toBe(true);
        // A whole-page screenshot scrolls nothing into view: load the lazy pictures first, as a reader scrolling would.
        await page.evaluate(() => Promise.all([...document.images].map((img) => {
          img.loading = 'eager';
          return img.decode().catch(() => {});
        })));
        const file = `${SCREENSHOTS}/${name.replace(/[^a-z]+/gi, '-').replace(/-$/, '')}-${width}.png`;
        expectPagePng(await page.screenshot({ path: file, fullPage: true }), width, `${name} at ${width}px`);
        await context.close();
      }
    }
    const dark = await open(ARTICLE, { viewport: { width: 375, height: 900 }, colorScheme: 'dark' });
    const light = await open(ARTICLE, { viewport: { width: 375, height: 900 } });
    const [darkPng, lightPng] = [await dark.page.screenshot({ path: `${SCREENSHOTS}/article-dark-375.png`, fullPage: true }), await light.page.screenshot({ fullPage: true })];
    expectPagePng(darkPng, 375, 'dark article');
    expect(darkPng.equals(lightPng), 'dark mode looks like light mode').toBe(false);
    await dark.context.close();
    await light.context.close();
  }, 240_000);
});

describe('finding articles', () => {
  it('searches from the masthead with JavaScript off, and every result leads to its article', async () => {
    const { context, page, problems } = await open('/', { javaScriptEnabled: false });
    const box = page.getByRole('searchbox', { name: 'Search articles' });
    await box.fill('ferry');
    await box.press('Enter');
    await page.waitForURL(/\/search\?q=ferry$/);
    expect(await page.locator('h1').textContent()).toBe('Search results for ferry');
    const results = page.locator('.results h2 a');
    expect(await results.count()).toBeGreaterThan(0);
    expect(await page.locator('.results mark').first().textContent()).toMatch(/ferry/i);
    await results.first().click();
    await page.waitForURL(/\/articles\//);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('reaches an article from its topic and its author', async () => {
    const { context, page } = await open(ARTICLE, { javaScriptEnabled: false });
    await page.locator('.tags a', { hasText: 'transport' }).click();
    await page.waitForURL(/\/tags\/transport$/);
    expect(await page.locator('.cards a', { hasText: 'harbour ferry' }).count()).toBe(1);
    await page.goto(worker.url + ARTICLE);
    await page.locator('.byline a').first().click();
    await page.waitForURL(/\/authors\//);
    expect(await page.locator('.cards a', { hasText: 'harbour ferry' }).count()).toBe(1);
    await context.close();
  });
});

describe('the fronts', () => {
  it('show a UK and a US reader their own edition, each with one h1, headings in order and no layout shift', async () => {
    const seen: string[] = [];
    for (const [country, edition] of [['GB', 'UK edition'], ['US', 'US edition']] as const) {
      for (const width of [375, 1280]) {
        const { context, page } = await open('/', { viewport: { width, height: 900 } }, country);
        expect(await page.locator('.edition-current').textContent()).toBe(edition);
        expect(await page.locator('h1').count()).toBe(1);
        const levels = await page.locator('main h1, main h2, main h3').evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])));
        expect(levels[0]).toBe(1);
        for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!, `heading ${i}`).toBeLessThanOrEqual(1);
        expect(await layoutShift(page), `${country} at ${width}px`).toBeLessThan(0.01);
        const images = await page.locator('main img').evaluateAll((imgs) => imgs.map((i) => [i.getAttribute('width'), i.getAttribute('height')]));
        expect(images.length).toBeGreaterThan(0);
        for (const size of images) expect(size.every((v) => Number(v) > 0)).toBe(true);
        seen.push(await page.locator('main').innerText());
        await context.close();
      }
    }
    expect(seen[0]).not.toBe(seen[2]);
  });

  it('work without JavaScript: every edition is a plain link away', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, extraHTTPHeaders: { 'CF-IPCountry': 'GB' } });
    const page = await context.newPage();
    await page.goto(`${worker.url}/`);
    await page.locator('.editions-nav a', { hasText: 'US edition' }).click();
    expect(page.url()).toBe(`${worker.url}/editions/us`);
    expect(await page.locator('.edition-current').textContent()).toBe('US edition');
    await context.close();
  });
});

describe('the gallery', () => {
  /** Whether picture `n` fills the gallery's strip (its left edge on the strip's). */
  const inView = (page: Page, n: number) => page.evaluate((n) => {
    const strip = document.querySelector('.gallery')!.getBoundingClientRect();
    const item = document.getElementById(`image-${n}`)!.getBoundingClientRect();
    return Math.abs(item.left - strip.left) < 2;
  }, n);

  it('is reached from each figure and moved through by links and by keyboard, with JavaScript off', async () => {
    const { context, page, problems } = await open(FIGURES, { javaScriptEnabled: false, reducedMotion: 'reduce' });
    const links = page.locator('.gallery-link');
    expect(await links.count()).toBe(4);
    await links.nth(1).click();
    await page.waitForURL(/\/gallery\/science\/rock-pool-census#image-2$/);
    await expect.poll(() => inView(page, 2)).toBe(true);
    await page.locator('#image-2 .gallery-nav a', { hasText: 'Next' }).click();
    await expect.poll(() => inView(page, 3)).toBe(true);
    expect(page.url()).toMatch(/#image-3$/);
    // The strip itself takes focus, and the arrow keys scroll it a picture at a
    // time; each key waits for the last scroll to settle on its snap point, as a reader's would.
    await page.locator('.gallery').focus();
    for (const [key, picture] of [['ArrowLeft', 2], ['ArrowRight', 3], ['ArrowRight', 4]] as const) {
      await page.waitForTimeout(300);
      await page.keyboard.press(key);
      await expect.poll(() => inView(page, picture), { timeout: 3000 }).toBe(true);
    }
    await page.locator('#image-4 .gallery-nav a', { hasText: 'Back to the article' }).click();
    await page.waitForURL(/\/articles\/science\/rock-pool-census$/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('does not shift as its pictures load, and every picture has its alt text and caption', async () => {
    const { context, page } = await open(pages.gallery!, { viewport: { width: 375, height: 800 } });
    const shift = await layoutShift(page);
    expect(shift).toBeLessThan(0.05);
    const items = page.locator('.gallery-item');
    expect(await items.count()).toBe(4);
    for (const item of await items.all()) {
      expect(await item.locator('img').getAttribute('alt')).toMatch(/\w/);
      expect(await item.locator('figcaption').textContent()).toMatch(/\d of 4/);
    }
    await context.close();
  });
});

describe('the article page', () => {
  it('shows the reader\'s region banner, one h1, and images that do not shift the layout', async () => {
    for (const [country, group] of [['GB', 'UK'], ['US', 'US']] as const) {
      const { context, page } = await open(FIGURES, {}, country);
      expect(await page.locator('aside.support').getAttribute('data-region')).toBe(group);
      expect(await page.locator('h1').count()).toBe(1);
      const shift = await layoutShift(page);
      expect(shift).toBeLessThan(0.05);
      for (const img of await page.locator('.article img').all()) {
        expect(await img.getAttribute('width')).toMatch(/^\d+$/);
        expect(await img.getAttribute('height')).toMatch(/^\d+$/);
      }
      await context.close();
    }
  });

  it('lets a reader dismiss the banner by keyboard, and remembers it across reloads', async () => {
    const { context, page } = await open(ARTICLE);
    const banner = page.locator('aside.support');
    await expect.poll(() => banner.isVisible()).toBe(true);
    // Reach the button with the Tab key, as a keyboard user would.
    const dismiss = page.getByRole('button', { name: 'Hide this message for 30 days' });
    let reached = false;
    for (let i = 0; i < 80 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await dismiss.evaluate((button) => document.activeElement === button);
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    expect(await banner.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.closest('.site-footer') !== null)).toBe(true);
    await page.reload();
    expect(await banner.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await context.close();

    const fresh = await open(ARTICLE);
    expect(await fresh.page.locator('aside.support').isVisible()).toBe(true);
    await fresh.context.close();
  });

  it('works without JavaScript: the banner shows, with no dismiss button', async () => {
    const { context, page, problems } = await open(ARTICLE, { javaScriptEnabled: false });
    expect(await page.locator('h1').textContent()).toContain('harbour ferry');
    expect(await page.locator('aside.support').isVisible()).toBe(true);
    expect(await page.locator('.support-dismiss').isVisible()).toBe(false);
    expect(await page.locator('.article-body p').count()).toBeGreaterThan(3);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('prints without the banner or the navigation', async () => {
    const { context, page } = await open(ARTICLE);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('aside.support').isVisible()).toBe(false);
    expect(await page.locator('.sections-nav').isVisible()).toBe(false);
    expect(await page.locator('h1').isVisible()).toBe(true);
    await context.close();
  });
});

describe('photographs', () => {
  /** The lead picture's chosen file, and every image response the page received, once the lead has loaded. */
  async function leadChoice(width: number, deviceScaleFactor = 1) {
    const { context, page } = await open(PHOTOS, { viewport: { width, height: 900 }, deviceScaleFactor });
    const images: { url: string; type: string | null }[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'image') images.push({ url: new URL(r.url()).pathname, type: r.headers()['content-type'] ?? null });
    });
    // Reload with the listener on, so every image of the page is seen.
    await page.reload({ waitUntil: 'load' });
    const lead = page.locator('.article > figure img').first();
    await expect.poll(() => lead.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const chosen = await lead.evaluate((img: HTMLImageElement) => ({ src: new URL(img.currentSrc).pathname, shown: img.getBoundingClientRect().width }));
    const shift = await layoutShift(page);
    await context.close();
    return { chosen, images, shift };
  }

  it('are fetched as AVIF at the variant nearest the width they are shown at: 375 px and 1280 px, 1x and 2x', async () => {
    for (const [width, dpr, expected] of [[375, 1, 400], [375, 2, 960], [1280, 1, 960], [1280, 2, 1920]] as const) {
      const { chosen, images } = await leadChoice(width, dpr);
      expect(chosen.src, `${width} px at ${dpr}x`).toBe(`/media/_/${expected}/harbour-first-light.jpg.avif`);
      // The smallest allowed width at least as wide as the picture is shown, in device pixels.
      expect(VARIANT_WIDTHS.find((w) => w >= chosen.shown * dpr), `${width} px at ${dpr}x`).toBe(expected);
      const lead = images.find((i) => i.url === chosen.src)!;
      expect(lead.type).toBe('image/avif');
      // The 674 KB original is never fetched.
      expect(images.map((i) => i.url)).not.toContain('/media/harbour-first-light.jpg');
    }
  });

  it('do not shift the layout as they load, and keep their intrinsic width and height', async () => {
    const { shift } = await leadChoice(375);
    expect(shift).toBeLessThan(0.01);
    const html = await (await fetch(worker.url + PHOTOS)).text();
    expect(html).toMatch(/<img src="\/media\/harbour-first-light\.jpg" [^>]*width="2400" height="1600"/);
  });

  it('fall back to the original format for a browser that takes neither AVIF nor WebP', async () => {
    // What such a browser does: it skips both <source> elements and uses the <img>'s own srcset.
    const { context, page } = await open(PHOTOS, { viewport: { width: 375, height: 900 } });
    await page.evaluate(() => document.querySelectorAll('.article > figure source').forEach((s) => s.remove()));
    const lead = page.locator('.article > figure img').first();
    await expect.poll(() => lead.evaluate((img: HTMLImageElement) => new URL(img.currentSrc).pathname)).toBe('/media/_/400/harbour-first-light.jpg');
    await context.close();
  });
});

describe('the support banner, measured', () => {
  async function impressions(test: string, variant: string): Promise<number> {
    return (await worker.index.prepare("SELECT COALESCE(SUM(count), 0) AS n FROM banner_counts WHERE kind = 'impression' AND grp = 'UK' AND test = ?1 AND variant = ?2")
      .bind(test, variant).first<number>('n')) ?? 0;
  }

  it('counts an impression, with JavaScript off, only once the banner scrolls into view, and enrols the reader in the sample test', async () => {
    const { context, page } = await open(ARTICLE, { javaScriptEnabled: false, viewport: { width: 375, height: 640 } });
    const beacons: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/_banner/') && r.url().endsWith('/seen')) beacons.push(new URL(r.url()).pathname); });
    const before = await impressions('-', 'default');
    await page.reload({ waitUntil: 'load' });
    await page.waitForTimeout(500);
    expect(beacons).toEqual([]);
    expect(await impressions('-', 'default')).toBe(before);
    // Scroll the way a reader does, to the end of the story.
    for (let i = 0; i < 40 && beacons.length === 0; i++) {
      await page.mouse.wheel(0, 600);
      await page.waitForTimeout(100);
    }
    expect(beacons).toEqual(['/_banner/UK/-/default/seen']);
    await expect.poll(() => impressions('-', 'default')).toBe(before + 1);
    // The beacon put the reader in the sample test: the next page shows their arm, and reports it.
    await expect.poll(async () => (await context.cookies()).some((c) => c.name === 'bs_test')).toBe(true);
    const cookie = (await context.cookies()).find((c) => c.name === 'bs_test');
    expect(cookie?.value).toMatch(/^winter-heading\.(control|plain-words|local-cost)$/);
    await page.goto(worker.url + FIGURES);
    expect(await page.locator('aside.support').getAttribute('data-test')).toBe('winter-heading');
    expect(await page.locator('aside.support').getAttribute('data-variant')).toBe(cookie!.value.split('.')[1]);
    await context.close();
  });

  it('counts a click, with JavaScript off, and lands on the destination with its campaign parameters', async () => {
    const { context, page } = await open(ARTICLE, { javaScriptEnabled: false });
    let landed: URL | undefined;
    await context.route('https://support.broadsheet.example/**', (route) => {
      landed = new URL(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Support</title><h1>Thank you</h1>' });
    });
    const clicks = async () => (await worker.index.prepare("SELECT COALESCE(SUM(count), 0) AS n FROM banner_counts WHERE kind = 'click' AND grp = 'UK' AND link = 'primary'").first<number>('n')) ?? 0;
    const before = await clicks();
    await page.locator('aside.support a.button').first().click();
    await page.waitForURL(/support\.broadsheet\.example/);
    expect(await page.locator('h1').textContent()).toBe('Thank you');
    expect(`${landed!.origin}${landed!.pathname}`).toBe('https://support.broadsheet.example/contribute');
    expect(Object.fromEntries(landed!.searchParams)).toEqual({
      region: 'uk', utm_source: 'broadsheet', utm_medium: 'banner', utm_campaign: 'always-on', utm_content: 'default', utm_term: 'uk',
    });
    await expect.poll(clicks).toBe(before + 1);
    await context.close();
  });
});

describe('an article over its lifetime', () => {
  it('shows its corrections in a labelled box the notice by the date leads to, with JavaScript off', async () => {
    const { context, page } = await open(pages['corrected article']!, { javaScriptEnabled: false });
    const box = page.getByRole('complementary', { name: 'Corrections' });
    expect(await box.isVisible()).toBe(true);
    expect(await box.locator('li').count()).toBe(2);
    expect(await page.locator('.dateline .updated').textContent()).toMatch(/^Updated /);
    await page.locator('.corrected-notice a').click();
    expect(page.url()).toMatch(/#corrections$/);
    expect(await box.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; })).toBe(true);
    await context.close();
  });

  it('lays out an Arabic article right to left inside a left-to-right page', async () => {
    const { context, page } = await open(pages['rtl article']!);
    const directions = await page.evaluate(() => ({
      page: getComputedStyle(document.documentElement).direction,
      article: getComputedStyle(document.querySelector('.article-body')!).direction,
      title: getComputedStyle(document.querySelector('h1')!).direction,
      meta: getComputedStyle(document.querySelector('.article-meta')!).direction,
    }));
    expect(directions).toEqual({ page: 'ltr', article: 'rtl', title: 'rtl', meta: 'ltr' });
    // Right to left: the first paragraph's text starts at the column's right edge.
    const edges = await page.evaluate(() => {
      const p = document.querySelector('.article-body p')!, column = document.querySelector('.article-body')!;
      return { text: p.getBoundingClientRect().right, column: column.getBoundingClientRect().right };
    });
    expect(Math.abs(edges.text - edges.column)).toBeLessThan(2);
    await context.close();
  });

  it('answers a taken-down article with a 410 page that says why', async () => {
    const { context, page, status } = await open(pages['taken down']!, { javaScriptEnabled: false });
    expect(status).toBe(410);
    expect(await page.locator('h1').textContent()).toBe('This article has been removed');
    expect(await page.locator('.gone-reason').textContent()).toContain('a complaint we upheld');
    await context.close();
  });
});
