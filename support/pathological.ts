/**
 * Markdown that is slow for marked 18 when rendered naively: deep nesting,
 * long runs of emphasis delimiters and brackets, and patterns modelled on the
 * inputs in marked's own test/specs/redos suite. Shared by the tests (which
 * check each is bounded) and the benchmark (which reports how long each takes).
 */
export const PATHOLOGICAL: Record<string, string> = {
  'nested quotes, 1000 deep': '>'.repeat(1000) + ' deep',
  'nested lists, 1000 deep': Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n'),
  'nested ordered lists, 500 deep': Array.from({ length: 500 }, (_, i) => `${'   '.repeat(i)}1. x`).join('\n'),
  'emphasis run "_a" x 50,000 (#4099)': '_a'.repeat(50_000),
  'intraword "a_" x 20,000': 'a_'.repeat(20_000),
  'emphasis run "*a" x 20,000': '*a'.repeat(20_000),
  'strong run "**a" x 10,000': '**a'.repeat(10_000),
  'strikethrough run "~a" x 20,000': '~a'.repeat(20_000),
  'underscores x 10,000 then a word': `${'_'.repeat(10_000)} a`,
  'unmatched emphasis in list items': '- *'.repeat(2000),
  'unmatched "*x *x" x 2,000': '*x *x '.repeat(2000),
  'open brackets x 20,000': '['.repeat(20_000),
  'image openers x 20,000': '!['.repeat(20_000),
  'unterminated links x 50,000': '[a](b'.repeat(50_000),
  'unclosed link destinations x 20,000': `${'[a]('.repeat(20_000)}b`,
  'reference links x 100,000': `[a]: x\n\n${'[a] '.repeat(100_000)}`,
  'code spans x 60,000': '`x` '.repeat(60_000),
  'backslash escapes x 100,000': '\\.'.repeat(100_000),
  'angle brackets x 20,000': '<'.repeat(20_000),
  'tag openers "<a" x 20,000': '<a'.repeat(20_000),
  'tight list of 10,000 items': '- a\n'.repeat(10_000),
};

/**
 * Seeds from marked's redos suite that marked 18 already handles in linear
 * time: the guard lets them through to marked, and they must stay fast.
 */
export const HANDLED_BY_MARKED: Record<string, string> = {
  'a fence of 20,000 backticks': '`'.repeat(20_000),
  'long definition with spaces (cubic_def)': `[x]:${' '.repeat(1500)}x ${' '.repeat(1500)} x`,
  '50,000 letters (quadratic_email)': 'a'.repeat(50_000),
};

/** Just inside every limit: must still render as markdown, and quickly. */
export const NEAR_LIMITS: Record<string, string> = {
  'nesting 16 deep': `${'>'.repeat(16)} sixteen`,
  '1,000 delimiters in a paragraph': '_a'.repeat(500) + '\n\n' + '_a'.repeat(500),
  'two dense paragraphs': `${'_a'.repeat(999)}\n\n${'*b'.repeat(999)}`,
  'a list of 900 items': '- item\n'.repeat(900),
};
