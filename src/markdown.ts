/**
 * Markdown to safe HTML with `marked`, per DESIGN §1.
 *
 * `marked` does not sanitise, so safety is enforced here, in the renderer,
 * where every piece of output is produced: raw HTML is escaped into text, link
 * and image URLs pass the allowlist in `url.ts` or are dropped, and every
 * attribute value is escaped. What leaves {@link renderMarkdown} is safe to
 * place in a page as-is.
 */
import { Marked, type Token, type Tokens } from 'marked';
import { assessMarkdown } from './markdown-guard.ts';
import { safeUrl } from './url.ts';

/** Ids the page template uses itself, which headings must not take. */
const RESERVED_IDS = new Set(['main', 'support-heading', 'article-title']);

let usedIds = new Set<string>();

const marked = new Marked({
  async: false,
  gfm: true,
  renderer: {
    text(token: Tokens.Text | Tokens.Escape) {
      // After an inline <pre>, <code>, <kbd> or <script> tag, marked marks the
      // following text "escaped" and emits it raw, so `<pre><img/src/onerror=…>`
      // would reach the page as markup. Escape it; everything else keeps
      // marked's own handling (returning false falls back to it).
      if (token.type === 'text' && token.escaped && !token.tokens) return escapeHtml(token.text);
      return false;
    },

    html(raw: Tokens.HTML | Tokens.Tag) {
      // Raw HTML shows as the text the editor typed, never as markup.
      const text = escapeHtml(raw.text);
      return 'block' in raw && raw.block ? `<p>${text.trim()}</p>\n` : text;
    },

    heading({ tokens, depth }) {
      const inner = this.parser.parseInline(tokens);
      const plain = this.parser.parseInline(tokens, this.parser.textRenderer);
      const level = Math.max(2, depth); // the page's headline is the only h1
      return `<h${level} id="${uniqueId(plain)}">${inner}</h${level}>\n`;
    },

    link({ href, title, tokens }) {
      const inner = this.parser.parseInline(tokens);
      const url = safeUrl(href, 'link');
      if (url === null) return inner;
      return `<a href="${escapeHtml(url)}"${title ? ` title="${escapeHtml(title)}"` : ''}>${inner}</a>`;
    },

    image({ href, title, text }) {
      return renderImage(href, text, title);
    },

    paragraph({ tokens }) {
      return renderParagraph(tokens, (inline) => this.parser.parseInline(inline));
    },
  },
});

/**
 * Renders an article body. Headings get ids that are unique within the body
 * and stable across renders of the same text.
 */
export function renderMarkdown(body: string): string {
  usedIds = new Set(RESERVED_IDS);
  return marked.parse(body) as string;
}

/** A rendered body, and why it was rendered plainly if it was. */
export interface RenderedBody {
  html: string;
  /** Null when marked rendered it; otherwise what made it unsafe to try. */
  degraded: string | null;
}

/**
 * Renders a body that may not have been checked by the publish command (a
 * plain `wrangler kv key put`): when {@link assessMarkdown} finds it would be
 * slow, it is shown as escaped paragraphs instead, in linear time.
 */
export function renderBody(body: string): RenderedBody {
  const risk = assessMarkdown(body);
  if (!risk) return { html: renderMarkdown(body), degraded: null };
  return { html: renderPlainParagraphs(body), degraded: `line ${risk.line}: ${risk.message}` };
}

/** The safe fallback: the text as typed, one escaped paragraph per blank-line-separated block. */
export function renderPlainParagraphs(body: string): string {
  let out = '';
  for (const block of body.split(/\n[ \t]*\n/)) {
    const text = block.trim();
    if (text) out += `<p>${escapeHtml(text)}</p>\n`;
  }
  return out;
}

/** A heading's plain text as an id: lower-case ASCII words joined by hyphens. */
export function slugifyHeading(text: string): string {
  const slug = decodeBasicEntities(text)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'section';
}

function uniqueId(text: string): string {
  const base = slugifyHeading(text);
  let id = base;
  for (let n = 2; usedIds.has(id); n++) id = `${base}-${n}`;
  usedIds.add(id);
  return id;
}

/** `"caption | credit"` to its parts; without a bar, the whole title is the caption. */
export function splitCaption(title: string | null | undefined): { caption?: string; credit?: string } {
  if (!title) return {};
  const bar = title.lastIndexOf('|');
  const caption = (bar === -1 ? title : title.slice(0, bar)).trim();
  const credit = bar === -1 ? '' : title.slice(bar + 1).trim();
  return { ...(caption && { caption }), ...(credit && { credit }) };
}

/** An `<img>`, or the alt text alone when the URL is not allowed. */
function renderImage(href: string, alt: string, title?: string | null): string {
  const src = safeUrl(href, 'image');
  if (src === null) return escapeHtml(alt);
  return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}"${title ? ` title="${escapeHtml(title)}"` : ''} loading="lazy" decoding="async">`;
}

/** A `<figure>` with caption and credit, the same markup the main image uses. */
export function renderFigure(href: string, alt: string, caption?: string, credit?: string, eager = false): string {
  const src = safeUrl(href, 'image');
  if (src === null) return alt ? `<p>${escapeHtml(alt)}</p>\n` : '';
  const captionHtml = caption || credit
    ? `<figcaption>${caption ? escapeHtml(caption) : ''}${caption && credit ? ' ' : ''}${
      credit ? `<span class="credit">${escapeHtml(credit)}</span>` : ''}</figcaption>`
    : '';
  return `<figure><img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}" ${eager ? 'fetchpriority="high"' : 'loading="lazy"'} decoding="async">${captionHtml}</figure>\n`;
}

/**
 * A paragraph, except that an image with a title, or images standing alone,
 * become figures. A titled image in running text splits the paragraph around
 * its figure, because a `<figure>` may not sit inside a `<p>`.
 */
function renderParagraph(tokens: Token[], inline: (tokens: Token[]) => string): string {
  const isBlank = (t: Token) => (t.type === 'text' && t.raw.trim() === '') || t.type === 'br';
  const standalone = tokens.some((t) => t.type === 'image') && tokens.every((t) => t.type === 'image' || isBlank(t));
  let out = '';
  let run: Token[] = [];
  const flush = () => {
    if (run.some((t) => !isBlank(t))) out += `<p>${inline(run).trim()}</p>\n`;
    run = [];
  };
  for (const t of tokens) {
    if (t.type === 'image' && (standalone || (t as Tokens.Image).title)) {
      flush();
      const image = t as Tokens.Image;
      const { caption, credit } = splitCaption(image.title);
      out += renderFigure(image.href, image.text, caption, credit);
    } else {
      run.push(t);
    }
  }
  flush();
  return out;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values alike. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function decodeBasicEntities(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
}
