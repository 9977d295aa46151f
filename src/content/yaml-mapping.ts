/**
 * YAML for editors' files (front matter, banner copy): the core schema only,
 * unique keys, a bounded number of aliases, and every problem tied to a line.
 */
import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument, type Document } from 'yaml';

/** One thing wrong with a file, at a 1-based line of that file. */
export interface Problem {
  line: number;
  message: string;
  /** Warnings are reported but do not stop a publish or a render. */
  severity: 'error' | 'warning';
}

/** A few aliases are fine; never enough to expand into a "billion laughs". */
export const MAX_YAML_ALIASES = 20;

export interface YamlMapping {
  data: Record<string, unknown>;
  /** The file line of the key (or list item) at `path`, or of its nearest ancestor. */
  lineOf(...path: (string | number)[]): number;
}

export type YamlResult = { ok: true; mapping: YamlMapping } | { ok: false; problems: Problem[] };

/**
 * Parses `text` as a YAML mapping. `firstLine` is the file line `text` starts
 * on, so reported lines are the file's. An empty document is an empty mapping.
 */
export function parseYamlMapping(text: string, firstLine: number, what: string): YamlResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema: 'core', prettyErrors: false, uniqueKeys: true, lineCounter });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line + firstLine - 1;
  const problems: Problem[] = doc.errors.map((e) => ({ line: lineAt(e.pos[0]), message: `${what}: ${oneLine(e.message)}`, severity: 'error' }));
  if (problems.length) return { ok: false, problems };
  if (doc.contents !== null && !isMap(doc.contents)) {
    return { ok: false, problems: [{ line: firstLine, message: `${what} must be a mapping of fields, such as "title: ..."`, severity: 'error' }] };
  }
  let data: Record<string, unknown>;
  try {
    data = (doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as Record<string, unknown> | null) ?? {};
  } catch (e) {
    return { ok: false, problems: [{ line: firstLine, message: `${what}: ${oneLine(e instanceof Error ? e.message : String(e))}`, severity: 'error' }] };
  }
  return { ok: true, mapping: { data, lineOf: (...path) => nodeLine(doc, path, lineAt) ?? firstLine } };
}

function nodeLine(doc: Document, path: (string | number)[], lineAt: (offset: number) => number): number | undefined {
  for (let depth = path.length; depth >= 1; depth--) {
    const parent = depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1), true);
    const key = path[depth - 1];
    let node: unknown;
    if (isMap(parent)) node = parent.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.key;
    else if (isSeq(parent) && typeof key === 'number') node = parent.items[key];
    if (isNode(node) && node.range) return lineAt(node.range[0]);
  }
  return isNode(doc.contents) && doc.contents.range ? lineAt(doc.contents.range[0]) : undefined;
}

function oneLine(message: string): string {
  return message.split('\n', 1)[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
