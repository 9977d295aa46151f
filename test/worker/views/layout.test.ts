import { describe, expect, it } from 'vitest';
import { formatDate, sectionLabel } from '../../../src/views/layout.ts';
import { TEST_SITE } from '../support/helpers.ts';

describe('sectionLabel and formatDate', () => {
  it('labels sections and formats dates', () => {
    expect(sectionLabel('arts-and-culture', TEST_SITE)).toBe('Arts and culture');
    expect(formatDate('2026-11-20', { ...TEST_SITE, timeZone: 'Asia/Tokyo' })).toBe('20 November 2026');
  });
});
