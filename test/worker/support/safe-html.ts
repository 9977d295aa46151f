/**
 * An independent checker for the HTML Broadsheet emits: it does not reuse the
 * app's own URL allowlist or escaping, so a bug there cannot hide itself here.
 * It reports every tag or attribute a browser could turn into script, and
 * every tag that is unbalanced or closes a container it did not open.
 */

import { SUPPORT_SCRIPT } from '../../../src/region/banner-script.ts';

const VOID = new Set(['img', 'br', 'hr', 'input', 'meta', 'link', 'source']);
const FRAGMENT_TAGS = new Set([
  'p', 'a', 'img', 'figure', 'figcaption', 'span', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li',
  'blockquote', 'pre', 'code', 'em', 'strong', 'del', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  'hr', 'br', 'input',
]);
const PAGE_TAGS = new Set([
  ...FRAGMENT_TAGS, 'html', 'head', 'meta', 'title', 'link', 'script', 'body', 'header', 'div', 'nav',
  'main', 'article', 'h1', 'time', 'aside', 'footer', 'small', 'button', 'noscript', 'section',
  // The search form, and its results' highlights and quoted query.
  'form', 'label', 'mark', 'q',
]);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'srcset', 'poster', 'data', 'background', 'ping']);

const ENTITY = /&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n' };

function decode(value: string): string {
  return value.replace(ENTITY, (m, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1]?.toLowerCase() === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : '';
    }
    return NAMED[ref.toLowerCase()] ?? m;
  });
}

/** What a browser would see as the scheme of a URL attribute, lower-cased. */
function schemeOf(value: string): string | null {
  // eslint-disable-next-line no-control-regex
  const cleaned = decode(value).replace(/[\u0000-\u0020\u007f-\u00a0\u200b-\u200f\u2028\u2029\ufeff]/g, '');
  return /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase() ?? null;
}

const ATTRIBUTE = /\s+([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/y;

/** Every problem found in `html`; empty when it is safe. `page` allows document-level tags. */
export function findUnsafe(html: string, { page = false } = {}): string[] {
  const allowed = page ? PAGE_TAGS : FRAGMENT_TAGS;
  const problems: string[] = [];
  const stack: string[] = [];
  let i = 0;
  while ((i = html.indexOf('<', i)) !== -1) {
    if (page && html.startsWith('<!doctype html>', i)) { i += 15; continue; }
    if (html.startsWith('<!--', i)) { problems.push(`comment at ${i}`); i += 4; continue; }
    const close = /^<\/([a-z][a-z0-9]*)\s*>/i.exec(html.slice(i, i + 40));
    if (close) {
      const name = close[1]!.toLowerCase();
      if (stack.at(-1) !== name) problems.push(`</${name}> closes <${stack.at(-1) ?? 'nothing'}> at ${i}`);
      else stack.pop();
      i += close[0].length;
      continue;
    }
    const open = /^<([a-z][a-z0-9]*)/i.exec(html.slice(i, i + 20));
    if (!open) { problems.push(`stray "<" at ${i}: ${JSON.stringify(html.slice(i, i + 30))}`); i++; continue; }
    const name = open[1]!.toLowerCase();
    if (!allowed.has(name)) problems.push(`<${name}> is not allowed`);
    let j = i + open[0].length;
    const attributes = new Map<string, string>();
    for (;;) {
      ATTRIBUTE.lastIndex = j;
      const m = ATTRIBUTE.exec(html);
      if (!m) break;
      attributes.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? m[4] ?? '');
      j = ATTRIBUTE.lastIndex;
    }
    const rest = /^\s*\/?>/.exec(html.slice(j, j + 10));
    if (!rest) { problems.push(`<${name}> tag is malformed at ${i}: ${JSON.stringify(html.slice(i, i + 60))}`); i = j; continue; }
    // A form may only submit to a path on this site.
    if (name === 'form' && !/^\/(?!\/)/.test(attributes.get('action') ?? '')) problems.push(`<form action="${attributes.get('action')}"> leaves the site`);
    for (const [attr, value] of attributes) {
      if (attr.startsWith('on')) problems.push(`<${name} ${attr}> event handler`);
      if (attr === 'style' || attr === 'srcdoc') problems.push(`<${name} ${attr}>`);
      if (URL_ATTRIBUTES.has(attr)) {
        const scheme = schemeOf(value);
        if (scheme && !['http', 'https', 'mailto'].includes(scheme)) problems.push(`<${name} ${attr}="${value}"> uses ${scheme}:`);
      }
    }
    j += rest[0].length;
    if (name === 'script') {
      const end = html.indexOf('</script>', j);
      const type = attributes.get('type');
      const content = html.slice(j, end);
      // Pages may carry JSON-LD data, and the one script the CSP allows by hash, verbatim.
      if (page && type === 'application/ld+json') {
        try { JSON.parse(content); } catch { problems.push('JSON-LD does not parse'); }
      } else if (!(page && type === undefined && content === SUPPORT_SCRIPT)) {
        problems.push(`<script type=${type}> at ${i}`);
      }
      i = end === -1 ? html.length : end + '</script>'.length;
      continue;
    }
    if (!VOID.has(name)) stack.push(name);
    i = j;
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`);
  return problems;
}
