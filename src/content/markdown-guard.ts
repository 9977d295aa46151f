/**
 * Cheap checks on a markdown body before `marked` sees it.
 *
 * marked 18 is fast on prose but has superlinear corners: runs of emphasis
 * delimiters cost quadratic time in one paragraph (`'_a'.repeat(50000)` takes
 * seconds; marked issue #4099), dense brackets and backticks are close behind,
 * and it recurses once per nesting level (#1471). One linear scan here, which
 * never recurses, bounds all three, so the worker can fall back to a safe
 * rendering instead of burning its CPU budget. The thresholds are set so the
 * worst pattern that passes renders in a few milliseconds.
 */

/** Deepest container nesting (block quotes, list items, indentation) allowed. */
export const MAX_NESTING = 16;

/** Inline delimiters (`*_~[]<>` and backticks, backslashes) allowed in one paragraph. */
export const MAX_BLOCK_DELIMITERS = 1000;

/** The sum over paragraphs of delimiters squared: the quadratic cost of the whole body. */
export const MAX_DELIMITER_WORK = 2_000_000;

/** Lines in one block (a paragraph, or a list without blank lines). */
export const MAX_BLOCK_LINES = 1000;

export interface MarkdownRisk {
  /** 1-based line within the body where the risk starts. */
  line: number;
  message: string;
}

/**
 * The nesting depth of each line's container prefix: every `>` and list
 * marker counts one level, and every two columns of indentation one more.
 */
export function lineNestingDepth(line: string): number {
  let depth = 0;
  let i = 0;
  let indent = 0;
  while (i < line.length) {
    const ch = line.charCodeAt(i);
    if (ch === 0x20) { indent++; i++; continue; }
    if (ch === 0x09) { indent += 4; i++; continue; }
    if (ch === 0x3e /* > */) { depth++; i++; continue; }
    // Bullet marker followed by a space: -, +, *.
    if ((ch === 0x2d || ch === 0x2b || ch === 0x2a) && line.charCodeAt(i + 1) === 0x20) { depth++; i += 2; continue; }
    // Ordered marker: up to 9 digits, then . or ), then a space.
    let j = i;
    while (j < line.length && j - i < 9 && line.charCodeAt(j) >= 0x30 && line.charCodeAt(j) <= 0x39) j++;
    if (j > i && (line[j] === '.' || line[j] === ')') && line.charCodeAt(j + 1) === 0x20) { depth++; i = j + 2; continue; }
    break;
  }
  return depth + Math.floor(indent / 2);
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The first character that is not a space or tab, or -1 for a blank line. */
function firstNonSpace(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return c;
  }
  return -1;
}

function countDelimiters(line: string): number {
  let count = 0;
  for (let i = 0; i < line.length; i++) {
    switch (line.charCodeAt(i)) {
      case 0x2a: // *
      case 0x5f: // _
      case 0x7e: // ~
      case 0x5b: // [
      case 0x5d: // ]
      case 0x3c: // <
      case 0x3e: // >
      case 0x60: // `
      case 0x5c: // \
        count++;
    }
  }
  return count;
}

/**
 * The first reason this body would be slow for marked, or null when it is
 * safe to render. Lines inside fenced code are literal text to marked and are
 * not counted.
 */
export function assessMarkdown(body: string): MarkdownRisk | null {
  let lineNumber = 0;
  let start = 0;
  let fence: string | null = null;
  let blockStart = 1;
  let blockLines = 0;
  let blockDelimiters = 0;
  let work = 0;
  const endBlock = () => {
    work += blockDelimiters * blockDelimiters;
    blockLines = 0;
    blockDelimiters = 0;
  };
  while (start <= body.length) {
    const end = body.indexOf('\n', start);
    const line = body.slice(start, end === -1 ? body.length : end);
    lineNumber++;
    const first = firstNonSpace(line);
    // Only a line whose first visible character is a backtick or tilde can be a fence.
    const marker = first === 0x60 || first === 0x7e ? FENCE.exec(line)?.[1] : undefined;
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
    } else if (marker) {
      endBlock();
      fence = marker;
    } else if (first === -1) {
      endBlock();
    } else {
      if (blockLines === 0) blockStart = lineNumber;
      blockLines++;
      const depth = lineNestingDepth(line);
      if (depth > MAX_NESTING) return { line: lineNumber, message: `markdown nests ${depth} levels deep; the limit is ${MAX_NESTING}` };
      blockDelimiters += countDelimiters(line);
      if (blockDelimiters > MAX_BLOCK_DELIMITERS) {
        return { line: blockStart, message: `a paragraph has more than ${MAX_BLOCK_DELIMITERS} markdown delimiters (*, _, ~, [, ], <, >, backticks, backslashes); split it or escape them` };
      }
      if (blockLines > MAX_BLOCK_LINES) {
        return { line: blockStart, message: `a block runs over ${MAX_BLOCK_LINES} lines without a blank line` };
      }
      if (work + blockDelimiters * blockDelimiters > MAX_DELIMITER_WORK) {
        return { line: blockStart, message: 'the body is too dense with markdown delimiters to render quickly' };
      }
    }
    if (end === -1) break;
    start = end + 1;
  }
  return null;
}
