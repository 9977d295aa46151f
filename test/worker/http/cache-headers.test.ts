import { describe, expect, it } from 'vitest';
import { entityTag, httpDate, isNotModified, lastModifiedOf, matchesEntityTag } from '../../../src/http/cache-headers.ts';

const ETAG = '"abc.UK.123"';
const rep = { etag: ETAG, lastModified: Date.parse('2026-11-20T08:30:00Z'), tags: [] };

function request(headers: Record<string, string>, method = 'GET'): Request {
  return new Request('https://x.test/', { method, headers });
}

describe('matchesEntityTag', () => {
  it('compares weakly, in lists, and honours *', () => {
    expect(matchesEntityTag(ETAG, ETAG)).toBe(true);
    expect(matchesEntityTag(`W/${ETAG}`, ETAG)).toBe(true);
    expect(matchesEntityTag(`"other", W/${ETAG} , "more"`, ETAG)).toBe(true);
    expect(matchesEntityTag('*', ETAG)).toBe(true);
    expect(matchesEntityTag('"other", "abc.UK.1234"', ETAG)).toBe(false);
  });

  it('matches nothing in a malformed list', () => {
    for (const bad of ['abc.UK.123', `${ETAG} junk`, `${ETAG},,`, 'W/', '"unterminated', `"a" "b" ${ETAG}`]) {
      expect(matchesEntityTag(bad, ETAG), bad).toBe(false);
    }
  });
});

describe('isNotModified', () => {
  const lm = httpDate(rep.lastModified);

  it('answers 304 for a matching If-None-Match on GET and HEAD only', () => {
    expect(isNotModified(request({ 'If-None-Match': ETAG }), rep)).toBe(true);
    expect(isNotModified(request({ 'If-None-Match': ETAG }, 'HEAD'), rep)).toBe(true);
    expect(isNotModified(request({ 'If-None-Match': ETAG }, 'POST'), rep)).toBe(false);
  });

  it('lets If-None-Match take precedence over If-Modified-Since', () => {
    expect(isNotModified(request({ 'If-None-Match': '"old"', 'If-Modified-Since': lm }), rep)).toBe(false);
  });

  it('never answers If-Modified-Since alone: a date cannot say a template or banner change missed the client', () => {
    for (const since of [lm, httpDate(rep.lastModified + 86_400_000), httpDate(Date.now())]) {
      expect(isNotModified(request({ 'If-Modified-Since': since }), rep), since).toBe(false);
    }
  });
});

describe('validators', () => {
  it('builds strong tags from safe characters', () => {
    expect(entityTag('a1', 'UK', 'v"2')).toBe('"a1.UK.v_2"');
  });

  it('formats HTTP dates', () => {
    expect(httpDate(Date.parse('2026-11-20T08:30:00.900Z'))).toBe('Fri, 20 Nov 2026 08:30:00 GMT');
  });

  it('takes Last-Modified from updated, else date, and never from the future', () => {
    expect(lastModifiedOf('2026-01-01', '2026-02-01')).toBe(Date.parse('2026-02-01'));
    expect(lastModifiedOf('2026-01-01')).toBe(Date.parse('2026-01-01'));
    expect(lastModifiedOf('2999-01-01')).toBeUndefined();
  });
});
