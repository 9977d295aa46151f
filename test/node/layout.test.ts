// The layout's rules, checked on the import graph so that nobody has to
// remember them: the editors' CLI never pulls in worker code, content/ is pure,
// and the bench and the tests share code only through support/.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../support/worker-server.ts';

/** Every .ts file under `dir`, relative to the project root. */
function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(dir, name));
}

/** Module specifiers in static imports and re-exports (`… from '…'`), bare imports and dynamic `import('…')`. */
const SPECIFIER = /\bfrom\s*(['"])([^'"]+)\1|\bimport\s*\(?\s*(['"])([^'"]+)\3/g;

/** The project files `file` imports (type-only imports included), relative to the root. */
function importsOf(file: string): string[] {
  const source = readFileSync(path.join(ROOT, file), 'utf8');
  return [...source.matchAll(SPECIFIER)]
    .map((match) => match[2] ?? match[4]!)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.relative(ROOT, path.resolve(ROOT, path.dirname(file), name)));
}

/** Every project file reachable from `entries` through imports. */
function reachable(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...importsOf(file));
  }
  return seen;
}

/** `file → import` for every import of `files` that `allowed` refuses. */
function offending(files: string[], allowed: (target: string) => boolean): string[] {
  return files.flatMap((file) => importsOf(file).filter((target) => !allowed(target)).map((target) => `${file} → ${target}`));
}

const CLI_MAY_USE = [/^src\/cli\//, /^src\/content\//, /^src\/storage\/(kv-format|index-rows|index-sql)\.ts$/, /^src\/media\/(formats|dimensions)\.ts$/];

describe('the layout', () => {
  it('reads the import graph it checks', () => {
    // The rules below pass vacuously if imports are not found at all.
    expect(importsOf('src/cli/publish.ts')).toEqual(expect.arrayContaining(['src/content/preview-link.ts', 'src/storage/kv-format.ts', 'src/cli/content.ts']));
    expect(reachable(sources('src/cli')).size).toBeGreaterThan(sources('src/cli').length);
  });

  it('lets the CLI reach only content/ and the storage and media format modules, never worker code', () => {
    const outside = [...reachable(sources('src/cli'))].filter((file) => !CLI_MAY_USE.some((rule) => rule.test(file)));
    expect(outside).toEqual([]);
  });

  it('keeps content/ pure: it imports nothing from the rest of the project', () => {
    expect(offending(sources('src/content'), (target) => target.startsWith('src/content/'))).toEqual([]);
  });

  it('keeps src/ free of tests, the bench and their harness', () => {
    expect(offending(sources('src'), (target) => target.startsWith('src/'))).toEqual([]);
  });

  it('lets the tests and the bench share code only through support/', () => {
    expect(offending(sources('test'), (target) => !target.startsWith('bench/'))).toEqual([]);
    expect(offending(sources('bench'), (target) => !target.startsWith('test/'))).toEqual([]);
    expect(offending(sources('support'), (target) => !target.startsWith('test/') && !target.startsWith('bench/'))).toEqual([]);
  });
});
