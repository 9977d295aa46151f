/**
 * Markdown to safe HTML with `marked`: CommonMark and GFM, with the departures
 * listed in `test/worker/content/commonmark.test.ts`.
 *
 * `marked` does not sanitise, so safety is enforced here, in the renderer,
 * where every piece of output is produced: raw HTML is escaped into text, link
 * and image URLs pass the allowlist in `url.ts` or are dropped, and every
 * attribute value is escaped. What {@link PreparedBody.render} returns is safe to
 * place in a page as-is.
 */
import { decodeHTMLStrict } from 'entities/decode';
import { Marked, type Token, type TokensList, type Tokens } from 'marked';
import { assessMarkdown } from './markdown-guard.ts';
import { foldToSegment } from './slug.ts';
import { encodeUrl, safeUrl, type UrlContext } from './url.ts';

/** Ids the page template uses itself, which headings must not take. */
const RESERVED_IDS = new Set(['main', 'support-heading', 'article-title', 'corrections', 'corrections-heading']);

/** An image's intrinsic size, in CSS pixels. */
export interface Dimensions {
  width: number;
  height: number;
}

/** Resized candidates for one image: `<source>` sets in better formats, and the `<img>`'s own `srcset`. */
export interface ImageCandidates {
  /** Best format first; empty when the `<img>` alone is enough. */
  sources: { type: string; srcset: string }[];
  srcset: string;
}

/**
 * What the renderer knows about images beyond their URL: intrinsic sizes (for
 * `width` and `height`, so nothing shifts as they load) and, where images
 * can be resized, the candidates to offer.
 */
export interface ImageInfo {
  size(src: string): Dimensions | undefined;
  candidates(src: string, size: Dimensions): ImageCandidates | null;
}

export const NO_IMAGE_INFO: ImageInfo = { size: () => undefined, candidates: () => null };

/** `sizes` for images in the article column: the column is at most 40rem wide. */
export const COLUMN_SIZES = '(min-width: 44rem) 40rem, 100vw';
/** `sizes` for an article's main image, which spans the page up to 60rem. */
export const LEAD_SIZES = '(min-width: 60rem) 60rem, 100vw';

/** The words of a figure's link to its place in the gallery. */
export interface GalleryLabels {
  open: string;
  /** What follows for screen readers: ", image 3". */
  image: (n: number) => string;
}

const ENGLISH_GALLERY_LABELS: GalleryLabels = { open: 'Open image in gallery', image: (n) => `, image ${n}` };

/** One picture of an article, as its gallery shows it. */
export interface GalleryImage {
  /** The URL, checked and percent-encoded. */
  src: string;
  alt: string;
  caption?: string;
  credit?: string;
  width?: number;
  height?: number;
  /** Resized candidates, when images are resized. */
  candidates?: ImageCandidates;
}

/**
 * The article's gallery while its body renders: where it lives, and the
 * pictures met so far, in reading order. Every figure gets a link to its place.
 */
export interface GalleryContext {
  href: string;
  images: GalleryImage[];
  /** What the link under each figure says, in the site's language. */
  labels?: GalleryLabels;
}

// Per-render state; rendering is synchronous, so one render owns these at a time.
let usedIds = new Set<string>();
let images: ImageInfo = NO_IMAGE_INFO;
let gallery: GalleryContext | null = null;
// Rendering a note (a correction): images are shown as their description, never as pictures.
let noteMode = false;

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
      const level = Math.max(2, depth); // the page's headline is the only h1
      return `<h${level} id="${uniqueId(inlineText(tokens))}">${inner}</h${level}>\n`;
    },

    link({ href, title, tokens }) {
      const inner = this.parser.parseInline(tokens);
      const url = destination(href, 'link');
      if (url === null) return inner;
      return `<a href="${escapeHtml(url)}"${title ? ` title="${escapeHtml(decodeHTMLStrict(title))}"` : ''}>${inner}</a>`;
    },

    image(token) {
      if (noteMode) return escapeHtml(inlineText(token.tokens ?? []));
      return renderImage(token.href, inlineText(token.tokens ?? []), token.title ? decodeHTMLStrict(token.title) : null);
    },

    paragraph({ tokens }) {
      return renderParagraph(tokens, (inline) => this.parser.parseInline(inline));
    },
  },
});

/**
 * A body, checked and tokenised once: the one way into the renderer. A body
 * that may never have been through the publish command (a plain
 * `wrangler kv key put`) is checked first ({@link assessMarkdown}): one that
 * would be slow to tokenise renders as escaped paragraphs, in linear time,
 * and says why in `degraded`.
 */
export interface PreparedBody {
  /** The image URLs it shows, so their sizes can be looked up before it renders. */
  readonly images: string[];
  /** Null when marked renders it; otherwise what made it unsafe to try. */
  readonly degraded: string | null;
  /**
   * The body as safe HTML: headings with ids unique within it and stable
   * across renders, figures with sizes from `info`, and every picture added
   * to `gallery` (with a link to it under each figure) when one is given.
   */
  render(info?: ImageInfo, gallery?: GalleryContext | null): string;
  /** The words it shows readers, for the search index (see {@link plainText}). */
  text(): string;
  /** Shows every token to `visit` (the publish command's checks); none when degraded. */
  walk(visit: (token: Token) => void): void;
}

/** Checks and tokenises a body; see {@link PreparedBody}. */
export function prepareBody(body: string): PreparedBody {
  const risk = assessMarkdown(body);
  if (risk) {
    return {
      images: [],
      degraded: `line ${risk.line}: ${risk.message}`,
      render: () => renderPlainParagraphs(body),
      text: () => body.replace(/[*_~`#>[\]()<|\\!]+/g, ' ').replace(/\s+/g, ' ').trim(),
      walk: () => {},
    };
  }
  const tokens = marked.lexer(body);
  const images: string[] = [];
  marked.walkTokens(tokens, (token) => {
    if (token.type === 'image') images.push((token as Tokens.Image).href);
  });
  return {
    images,
    degraded: null,
    render: (info = NO_IMAGE_INFO, pictures = null) => renderTokens(tokens, info, pictures),
    text: () => plainText(tokens),
    walk: (visit) => marked.walkTokens(tokens, visit),
  };
}

/**
 * The words a body shows readers, for the search index: its text, code,
 * image descriptions and raw HTML (which readers see as text), with no
 * markdown syntax or link targets, and entity references decoded.
 */
function plainText(tokens: Token[]): string {
  const out: string[] = [];
  for (const token of tokens) textOf(token, out);
  return out.join('').replace(/\s+/g, ' ').trim();
}

/** Inline text runs together as written; each block (and each list item or table cell) ends with a space. */
function textOf(token: Token, out: string[]): void {
  switch (token.type) {
    case 'list':
      for (const item of (token as Tokens.List).items) textOf(item, out);
      return;
    case 'table': {
      const table = token as Tokens.Table;
      for (const cell of [...table.header, ...table.rows.flat()]) {
        for (const child of cell.tokens) textOf(child, out);
        out.push(' ');
      }
      return;
    }
    case 'text':
      if (!('tokens' in token && token.tokens)) out.push(decodeHTMLStrict((token as Tokens.Text).text));
      break;
    case 'codespan': case 'code': case 'escape': case 'html':
      out.push((token as Tokens.Text).text);
      break;
  }
  if ('tokens' in token && token.tokens) for (const child of token.tokens) textOf(child, out);
  if (BLOCKS.has(token.type)) out.push(' ');
}

const BLOCKS = new Set(['paragraph', 'heading', 'blockquote', 'list_item', 'code', 'space', 'hr', 'br']);

function renderTokens(tokens: TokensList, info: ImageInfo, pictures: GalleryContext | null): string {
  usedIds = new Set(RESERVED_IDS);
  images = info;
  gallery = pictures;
  try {
    return marked.parser(tokens) as string;
  } finally {
    images = NO_IMAGE_INFO;
    gallery = null;
  }
}

/**
 * Adds a picture to a gallery and returns the link to its place there
 * (`…#image-N`, counted from 1), or null when there is no gallery or the
 * picture's URL is not allowed (it is not shown at all then).
 */
export function addToGallery(
  context: GalleryContext | null, href: string, alt: string, caption: string | undefined, credit: string | undefined, info: ImageInfo,
): string | null {
  const safe = context ? safeUrl(href, 'image') : null;
  if (!context || safe === null) return null;
  const src = encodeUrl(safe);
  const size = info.size(src);
  const candidates = size ? info.candidates(src, size) : null;
  context.images.push({
    src, alt, ...(caption && { caption }), ...(credit && { credit }), ...(size && { width: size.width, height: size.height }), ...(candidates && { candidates }),
  });
  return `${context.href}#image-${context.images.length}`;
}

/** A note as safe inline HTML, and as plain text (for JSON-LD). */
export interface RenderedNote {
  html: string;
  text: string;
}

/**
 * A short note in inline markdown (a correction's text): emphasis, code and
 * links, with the same safety as a body (raw HTML escaped, links
 * allowlisted); an image shows as its description. Text that would be slow
 * to tokenise shows as typed, escaped.
 */
export function renderNote(note: string): RenderedNote {
  if (assessMarkdown(note)) return { html: escapeHtml(note), text: note };
  const tokens = marked.Lexer.lexInline(note, marked.defaults);
  noteMode = true;
  try {
    return { html: marked.Parser.parseInline(tokens, marked.defaults) as string, text: inlineText(tokens).replace(/\s+/g, ' ').trim() };
  } finally {
    noteMode = false;
  }
}

/** What a publisher refuses in a note: links whose scheme is not allowed, and pictures. */
export function noteProblems(note: string): string[] {
  const risk = assessMarkdown(note);
  if (risk) return [risk.message];
  const problems: string[] = [];
  marked.walkTokens(marked.Lexer.lexInline(note, marked.defaults), (token) => {
    if (token.type === 'link' && safeUrl(decodeHTMLStrict((token as Tokens.Link).href), 'link') === null) {
      problems.push(`links to "${(token as Tokens.Link).href}", which is not allowed: use http, https, mailto or a relative URL`);
    } else if (token.type === 'image') {
      problems.push('holds an image: a correction is text and links only');
    }
  });
  return problems;
}

/** The safe fallback: the text as typed, one escaped paragraph per blank-line-separated block. */
function renderPlainParagraphs(body: string): string {
  let out = '';
  for (const block of body.split(/\n[ \t]*\n/)) {
    const text = block.trim();
    if (text) out += `<p>${escapeHtml(text)}</p>\n`;
  }
  return out;
}

/** A heading's plain text as an id: lower-case ASCII words joined by hyphens. */
function slugifyHeading(text: string): string {
  return foldToSegment(text) || 'section';
}

function uniqueId(text: string): string {
  const base = slugifyHeading(text);
  let id = base;
  for (let n = 2; usedIds.has(id); n++) id = `${base}-${n}`;
  usedIds.add(id);
  return id;
}

/** `"caption | credit"` to its parts; without a bar, the whole title is the caption. */
function splitCaption(title: string | null | undefined): { caption?: string; credit?: string } {
  if (!title) return {};
  const bar = title.lastIndexOf('|');
  const caption = (bar === -1 ? title : title.slice(0, bar)).trim();
  const credit = bar === -1 ? '' : title.slice(bar + 1).trim();
  return { ...(caption && { caption }), ...(credit && { credit }) };
}

/**
 * The plain text of inline tokens, as CommonMark makes an image's alt text:
 * emphasis, links and nested images reduced to their text, entity references
 * decoded once (a backslash-escaped `&` stays as typed).
 */
function inlineText(tokens: Token[]): string {
  let out = '';
  for (const token of tokens) {
    if ('tokens' in token && token.tokens) out += inlineText(token.tokens);
    else if (token.type === 'text') out += decodeHTMLStrict((token as Tokens.Text).text);
    else if (token.type === 'escape' || token.type === 'codespan' || token.type === 'html') out += (token as Tokens.Text).text;
    else if (token.type === 'br') out += ' ';
  }
  return out;
}

/**
 * A link or image destination as it goes into an attribute: entity references
 * decoded once, the scheme checked on that decoded form, then percent-encoded
 * as CommonMark does. Null when the scheme is not allowed.
 */
function destination(href: string, context: UrlContext): string | null {
  const url = safeUrl(decodeHTMLStrict(href), context);
  return url === null ? null : encodeUrl(url);
}

/**
 * An image as markup: an `<img>` with its intrinsic `width` and `height`
 * where known, and, when there are resized candidates, a `srcset` with
 * `sizes`, inside a `<picture>` whose `<source type>` elements offer the
 * better formats (the browser picks by what it supports, so no response
 * varies on `Accept`). `src` is an encoded URL; `alt` plain text; `attributes`
 * ready-made markup (loading, priority, title).
 */
export function imageHtml(
  src: string, alt: string, attributes: string,
  { size, candidates, sizes }: { size?: Dimensions | undefined; candidates?: ImageCandidates | null | undefined; sizes: string },
): string {
  const dimensions = size ? ` width="${size.width}" height="${size.height}"` : '';
  const set = candidates ? ` srcset="${escapeHtml(candidates.srcset)}" sizes="${sizes}"` : '';
  const img = `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}"${dimensions}${set}${attributes}>`;
  if (!candidates?.sources.length) return img;
  const sources = candidates.sources.map((s) => `<source type="${s.type}" srcset="${escapeHtml(s.srcset)}" sizes="${sizes}">`).join('');
  return `<picture>${sources}${img}</picture>`;
}

/** {@link imageHtml} for an image of an article (in its column unless `sizes` says otherwise), with what `info` knows of it. */
function articleImage(src: string, alt: string, attributes: string, info: ImageInfo, sizes = COLUMN_SIZES): string {
  const size = info.size(src);
  return imageHtml(src, alt, attributes, { size, candidates: size ? info.candidates(src, size) : null, sizes });
}

/** An `<img>`, or the alt text alone when the URL is not allowed. `alt` and `title` are plain text. It joins the gallery too. */
function renderImage(href: string, alt: string, title?: string | null): string {
  const src = destination(href, 'image');
  if (src === null) return escapeHtml(alt);
  addToGallery(gallery, decodeHTMLStrict(href), alt, title ?? undefined, undefined, images);
  return articleImage(src, alt, `${title ? ` title="${escapeHtml(title)}"` : ''} loading="lazy" decoding="async"`, images);
}

/**
 * A `<figure>` with caption and credit, the same markup the main image uses.
 * The main image is `eager` (it is usually the largest thing on screen).
 * Every argument is plain text (front matter, or markdown already decoded).
 */
export function renderFigure(
  href: string, alt: string, caption?: string, credit?: string,
  { eager = false, info = images, galleryLink, galleryLabels = gallery?.labels ?? ENGLISH_GALLERY_LABELS, sizes = COLUMN_SIZES }:
  { eager?: boolean; info?: ImageInfo; galleryLink?: string | null; galleryLabels?: GalleryLabels; sizes?: string } = {},
): string {
  const safe = safeUrl(href, 'image');
  const src = safe === null ? null : encodeUrl(safe);
  if (src === null) return alt ? `<p>${escapeHtml(alt)}</p>\n` : '';
  // The gallery link sits in the caption: a figcaption must be the figure's first or last child.
  const link = galleryLink
    ? `<a class="gallery-link" href="${escapeHtml(galleryLink)}">${escapeHtml(galleryLabels.open)}<span class="visually-hidden">${
      escapeHtml(galleryLabels.image(Number(galleryLink.slice(galleryLink.lastIndexOf('-') + 1))))}</span></a>`
    : '';
  const captionHtml = caption || credit || link
    ? `<figcaption>${caption ? escapeHtml(caption) : ''}${caption && credit ? ' ' : ''}${
      credit ? `<span class="credit">${escapeHtml(credit)}</span>` : ''}${(caption || credit) && link ? ' ' : ''}${link}</figcaption>`
    : '';
  return `<figure>${articleImage(src, alt, ` ${eager ? 'fetchpriority="high"' : 'loading="lazy"'} decoding="async"`, info, sizes)}${captionHtml}</figure>\n`;
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
      const { caption, credit } = splitCaption(image.title ? decodeHTMLStrict(image.title) : null);
      const href = decodeHTMLStrict(image.href), alt = inlineText(image.tokens ?? []);
      out += renderFigure(href, alt, caption, credit, { galleryLink: addToGallery(gallery, href, alt, caption, credit, images) });
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

