import { describe, expect, it } from 'vitest';
import { formatDate, sectionLabel } from '../../../src/views/layout.ts';

describe('sectionLabel and formatDate', () => {
  it('labels sections and formats dates', () => {
    expect(sectionLabel('arts-and-culture')).toBe('Arts and culture');
    expect(formatDate('2026-11-20', 'Asia/Tokyo')).toBe('20 November 2026');
  });
});
