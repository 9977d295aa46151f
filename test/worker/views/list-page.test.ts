import { describe, expect, it } from 'vitest';
import { renderListPage, type ListEntry } from '../../../src/views/list-page.ts';
import { TEST_SITE as site } from '../support/helpers.ts';

describe('renderListPage', () => {
  const entries: ListEntry[] = [{ slug: 'x', title: 'X <b>', date: '2026-01-01', language: 'en', hash: 'a'.repeat(32) }];
  it('links pages and escapes titles', () => {
    const html = renderListPage({ site, view: { kind: 'front' }, entries, page: 2, pageCount: 3 });
    expect(html).toContain('<a href="/articles/x">X &lt;b&gt;</a>');
    expect(html).toContain('<a rel="prev" href="/latest">');
    expect(html).toContain('<a rel="next" href="/latest?page=3">');
    expect(html).toContain('Page 2 of 3');
  });
});
