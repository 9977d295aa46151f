/**
 * Cheap checks on a markdown body before `marked` sees it. marked recurses
 * once per nesting level, so nesting is bounded here, by a linear scan of line
 * prefixes that never recurses itself.
 */

/** Deepest container nesting (block quotes, list items, indentation) allowed. */
export const MAX_NESTING = 16;

export interface MarkdownRisk {
  /** 1-based line within the body. */
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

/**
 * The first place a body nests deeper than {@link MAX_NESTING}, or null.
 * Lines inside fenced code are text to marked, so they are not counted.
 */
export function findExcessiveNesting(body: string, limit = MAX_NESTING): MarkdownRisk | null {
  let lineNumber = 1;
  let start = 0;
  let fence: string | null = null;
  while (start <= body.length) {
    const end = body.indexOf('\n', start);
    const line = body.slice(start, end === -1 ? body.length : end);
    const marker = FENCE.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
    } else if (marker) {
      fence = marker;
    } else {
      const depth = lineNestingDepth(line);
      if (depth > limit) return { line: lineNumber, message: `markdown nests ${depth} levels deep; the limit is ${limit}` };
    }
    if (end === -1) break;
    start = end + 1;
    lineNumber++;
  }
  return null;
}
