import { describe, expect, it } from 'vitest';
import { validateBannerCopy } from '../../../src/content/banner-copy.ts';
import { DEFAULT_BANNERS, renderBanner } from '../../../src/region/banner.ts';
import { REGION_GROUPS } from '../../../src/region/region.ts';

describe('renderBanner', () => {
  it('has valid default copy for every group, with the currency filled in', () => {
    for (const group of REGION_GROUPS) {
      expect(validateBannerCopy(DEFAULT_BANNERS[group]), group).toEqual([]);
      const html = renderBanner(group, DEFAULT_BANNERS[group]).toString();
      expect(html).toContain(`data-region="${group}"`);
      expect(html).not.toMatch(/\{\w+\}/);
    }
  });

  it('escapes copy', () => {
    const html = renderBanner('US', { ...DEFAULT_BANNERS.US, heading: '<img src=x onerror=alert(1)>' }).toString();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
