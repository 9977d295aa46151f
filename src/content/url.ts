/**
 * The URL allowlist (README, Writing an article), shared by the markdown renderer, the article
 * validator and the banner validator.
 *
 * Browsers forgive a lot in a URL: they decode entities in attributes, drop tabs
 * and newlines anywhere, trim control characters and spaces, and ignore case in
 * the scheme. So the check decodes and cleans the URL the same way first, and
 * then inspects the scheme of what the browser would actually follow.
 */

export type UrlContext = 'link' | 'image';

const ALLOWED_SCHEMES: Record<UrlContext, ReadonlySet<string>> = {
  link: new Set(['http', 'https', 'mailto']),
  image: new Set(['http', 'https']),
};

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n',
  sol: '/', lpar: '(', rpar: ')', period: '.', comma: ',', semi: ';', nbsp: '\u00a0',
};

/** Decodes numeric and the few named character references that can spell a scheme. */
export function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);?/gi, (match, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? match;
  });
}

/**
 * Returns the URL as a browser would read it if its scheme is allowed in
 * `context` (or it is relative), and null otherwise. An empty URL is relative
 * (it points at the page itself), as CommonMark's `[link]()` is.
 */
export function safeUrl(raw: string, context: UrlContext = 'link'): string | null {
  // Browsers remove ASCII tab and newline anywhere, and trim C0 controls and space.
  // Other controls (and their Unicode look-alikes) never belong in a URL we publish.
  const cleaned = decodeEntities(raw)
    .replace(/[\t\n\r]/g, '')
    .replace(/^[\u0000-\u0020\u00a0\u200b-\u200d\ufeff]+|[\u0000-\u0020\u00a0]+$/g, '');
  if (cleaned === '') return raw.trim() === '' ? '' : null;
  if (/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/.test(cleaned)) return null;
  // A scheme is what the WHATWG URL parser reads as one, on the same cleaned text:
  // an ASCII letter, then letters, digits, "+", "-" or ".", then ":". Anything
  // else (`foo):`, `/a:b`, a non-ASCII look-alike) is relative to the browser too.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(cleaned);
  if (scheme) return ALLOWED_SCHEMES[context].has(scheme[1]!.toLowerCase()) ? cleaned : null;
  return cleaned;
}

// What a URL may hold unencoded, as CommonMark's reference implementation keeps it.
const URL_KEEP = /[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]/;

/**
 * Percent-encodes a URL the way CommonMark renders destinations: every
 * character outside the unreserved and reserved sets as UTF-8 (spaces,
 * quotes, backslashes, non-ASCII), keeping `%XX` sequences already there.
 */
export function encodeUrl(url: string): string {
  let out = '';
  for (let i = 0; i < url.length; i++) {
    const c = url[i]!;
    if (URL_KEEP.test(c)) out += c;
    else if (c === '%' && /^[0-9a-f]{2}$/i.test(url.slice(i + 1, i + 3))) out += c;
    else {
      const code = url.charCodeAt(i);
      const pair = code >= 0xd800 && code <= 0xdbff && /[\udc00-\udfff]/.test(url[i + 1] ?? '');
      if (pair) out += encodeURIComponent(url.slice(i, i++ + 2));
      else out += code >= 0xd800 && code <= 0xdfff ? '%EF%BF%BD' : encodeURIComponent(c);
    }
  }
  return out;
}

/** True for an absolute http(s) URL, as author and call-to-action links must be. */
export function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s/?#]+/i.test(value) && safeUrl(value) === value;
}
