import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_PREVIEW_SECONDS, previewPath, signPreview, verifyPreview } from '../../../src/content/preview-link.ts';
import { articleFile, bannerRegion, fetchApp, seedArticle } from '../support/helpers.ts';

const SECRET = env.PREVIEW_SECRET;

beforeAll(async () => {
  await seedArticle('desk/draft-story', articleFile('title: Draft story\ndate: 2026-11-01\ndraft: true', 'Not yet.\n'));
  await seedArticle('desk/live-story', articleFile('title: Live story\ndate: 2026-11-01', 'Out now.\n'));
});

describe('draft preview links', () => {
  it('show a draft to whoever holds a valid link, privately', async () => {
    const res = await fetchApp(await previewPath(SECRET, 'desk/draft-story', Date.now()), { headers: { 'CF-IPCountry': 'GB' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
    expect(res.headers.get('X-Robots-Tag')).toBe('noindex');
    expect(res.headers.get('ETag')).toBeNull();
    const html = await res.text();
    expect(html).toContain('Draft story');
    expect(html).toContain('<p class="preview-notice" role="status">');
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(bannerRegion(html)).toBe('UK');
  });

  it('keep the draft invisible on its public address', async () => {
    expect((await fetchApp('/articles/desk/draft-story')).status).toBe(404);
  });

  it('refuse expired, tampered and borrowed links without caching the refusal', async () => {
    const now = Date.now();
    const expired = await previewPath(SECRET, 'desk/draft-story', now - 8 * 24 * 3600 * 1000);
    const valid = await previewPath(SECRET, 'desk/draft-story', now);
    const other = (await previewPath(SECRET, 'desk/live-story', now)).replace('desk/live-story', 'desk/draft-story');
    const forged = await previewPath('not-the-secret', 'desk/draft-story', now);
    const later = valid.replace(/expires=(\d+)/, (_, e) => `expires=${Number(e) + 3600}`);
    for (const path of [expired, other, forged, later, '/preview/desk/draft-story', `${valid.split('&sig=')[0]}&sig=`, '/preview/Bad..Slug?expires=1&sig=x']) {
      const res = await fetchApp(path);
      expect(res.status, path).toBe(403);
      expect(res.headers.get('Cache-Control')).toBe('private, no-store');
      expect(await res.text()).not.toContain('Not yet.');
    }
  });

  it('say which is which', async () => {
    const now = Date.now();
    const expires = Math.floor(now / 1000) + 60;
    const sig = await signPreview(SECRET, 'a', expires);
    expect(await verifyPreview(SECRET, 'a', String(expires), sig, now)).toBe('valid');
    expect(await verifyPreview(SECRET, 'a', String(expires), sig, now + 120_000)).toBe('expired');
    expect(await verifyPreview(SECRET, 'b', String(expires), sig, now)).toBe('invalid');
    const far = Math.floor(now / 1000) + MAX_PREVIEW_SECONDS + 60;
    expect(await verifyPreview(SECRET, 'a', String(far), await signPreview(SECRET, 'a', far), now)).toBe('invalid');
  });

  it('are refused when no secret is configured', async () => {
    const { default: app } = await import('../../../src/index.ts');
    const path = await previewPath(SECRET, 'desk/draft-story', Date.now());
    const res = await app.fetch(new Request(`https://news.test${path}`), { ...env, PREVIEW_SECRET: '' });
    expect(res.status).toBe(404);
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
  });
});
