import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_VARS, parseConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('builds Vary from the header sources only', () => {
    const config = parseConfig({ REGION_HEADERS: 'CF-IPCountry, cf.country, X-Vercel-IP-Country' });
    expect(config.region.vary).toBe('CF-IPCountry, X-Vercel-IP-Country');
  });

  it('refuses values that are not what they claim to be', () => {
    expect(() => parseConfig({ REGION_HEADERS: 'CF IPCountry' })).toThrow(ConfigError);
    expect(() => parseConfig({ CDN_MAX_AGE: '-5' })).toThrow(/CDN_MAX_AGE/);
    expect(() => parseConfig({ BROWSER_MAX_AGE: 'soon' })).toThrow(/BROWSER_MAX_AGE/);
    expect(() => parseConfig({ SITE_URL: 'news.example' })).toThrow(/SITE_URL/);
    expect(() => parseConfig({ TIME_ZONE: 'Mars/Olympus' })).toThrow(/TIME_ZONE/);
  });

  it('keeps KV cacheTtl at or above the 30 s KV minimum', () => {
    expect(parseConfig({ KV_CACHE_TTL: '5' }).kvCacheTtl).toBe(30);
  });
});

describe('derived values', () => {
  it('builds the Cache-Control strings from the lifetimes', () => {
    const config = parseConfig({ BROWSER_MAX_AGE: '10', CDN_MAX_AGE: '600', STALE_WHILE_REVALIDATE: '30', STALE_IF_ERROR: '3600' });
    expect(config.cacheControl).toEqual({
      browser: 'public, max-age=10, stale-while-revalidate=30, stale-if-error=3600',
      cdn: 'max-age=600, stale-while-revalidate=30, stale-if-error=3600',
    });
  });

  it('fixes the site only when SITE_URL is set', () => {
    expect(parseConfig({}).site).toBeNull();
    expect(parseConfig({ SITE_URL: 'https://news.example/', SITE_NAME: 'Herald' }).site).toMatchObject({ name: 'Herald', origin: 'https://news.example' });
  });
});

describe('the page version', () => {
  // A value other than the default for every setting that exists.
  const changed: Record<string, string> = {
    SITE_NAME: 'Herald', SITE_LANGUAGE: 'fr', SITE_URL: 'https://herald.example', REGION_HEADERS: 'X-Country', BROWSER_MAX_AGE: '61',
    CDN_MAX_AGE: '301', STALE_WHILE_REVALIDATE: '61', STALE_IF_ERROR: '86401', NOT_FOUND_MAX_AGE: '31', KV_CACHE_TTL: '61',
    KV_TIMEOUT_MS: '2001', ISOLATE_CACHE_TTL: '6', RENDER_CACHE_MB: '33', INDEX_PAGE_SIZE: '21', TIME_ZONE: 'Asia/Tokyo',
    SECTIONS: 'world', IMAGE_RESIZING: 'cloudflare', D1_TIMEOUT_MS: '2001', FEED_SIZE: '31', SEARCH_MAX_AGE: '61',
    SITEMAP_URLS: '49999', LIST_CACHE_MB: '9', RECONCILE_PAGES: '11', RECONCILE_READS: '201', CLIENT_IP_HEADER: 'True-Client-IP',
    BANNER_TEST_ASSIGNMENT: 'header', BANNER_LOCAL_COUNTS: 'true',
  };

  it('is the same for the same configuration and deployment', () => {
    expect(parseConfig({ INDEX_PAGE_SIZE: '20' }, 'v1').pageVersion).toBe(parseConfig({}, 'v1').pageVersion);
    expect(parseConfig({}, 'v1').pageVersion).toMatch(/^[0-9a-f]{8}$/);
  });

  it('changes with the deployment', () => {
    expect(parseConfig({}, 'v2').pageVersion).not.toBe(parseConfig({}, 'v1').pageVersion);
  });

  for (const [name, value] of Object.entries(changed)) {
    it(`changes with ${name}`, () => {
      expect(parseConfig({ [name]: value }, 'v1').pageVersion).not.toBe(parseConfig({}, 'v1').pageVersion);
    });
  }

  it('covers every setting the worker reads', () => {
    expect(Object.keys(changed).sort()).toEqual([...ENV_VARS].sort());
  });
});
