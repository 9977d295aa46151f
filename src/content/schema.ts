/**
 * Declarative schemas for the YAML editors write (front matter, banner copy),
 * and the one walker that checks a value against them. Every problem is tied
 * to the file line of the value it is about, and named by its path
 * (`authors.1.url must be an http(s) URL`), so an editor can find it.
 *
 * A field checks what it is given and returns what it means, or undefined
 * when the value is absent or wrong, having recorded why. The parse that ran
 * it fails when any error was recorded, so what it returns is used only when
 * every required value was found.
 */
import type { Problem } from './yaml-mapping.ts';

export type Path = (string | number)[];

/** Where problems go, and the line each path is on. */
export interface Walk {
  lineOf(...path: Path): number;
  problems: Problem[];
}

export type Field<T> = (value: unknown, path: Path, walk: Walk) => T | undefined;

// C0 and C1 controls other than tab and newline, lone surrogates and non-characters.
export const BAD_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Records a problem about the value at `path`, on that value's line. `text` follows its dotted path. */
export function report(walk: Walk, path: Path, text: string, { severity = 'error', line = walk.lineOf(...path) }: { severity?: Problem['severity']; line?: number } = {}): void {
  walk.problems.push({ line, severity, message: path.length ? `${path.join('.')} ${text}` : text });
}

function absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** A missing value: an error if it is required (reported on its parent's line, since it has none), else nothing. */
function missing(walk: Walk, path: Path, required: boolean | string | undefined): undefined {
  if (required) report(walk, path, `is required${typeof required === 'string' ? `: ${required}` : ''}`, { line: walk.lineOf(...path.slice(0, -1)) });
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface TextRule {
  /** Longest allowed, in UTF-16 units after trimming. */
  max: number;
  /** Whether it must be there and not empty; a string says why, after "is required". */
  required?: boolean | string;
  /** May be left out, but not given empty. */
  nonEmpty?: boolean;
  /** Accept a bare YAML number as its text (a tag such as 2026). */
  numbers?: boolean;
  /** Anything else it must be: a problem to report after the path, or null. */
  check?: (text: string) => string | null;
}

/** Text, trimmed: no control characters, within `max`, and passing `check`. Empty optional text is absent. */
export function text(rule: TextRule): Field<string> {
  return (value, path, walk) => {
    if (absent(value)) return missing(walk, path, rule.required);
    if (rule.numbers && typeof value === 'number') value = String(value);
    if (typeof value !== 'string') {
      report(walk, path, `must be text${typeof value === 'number' || typeof value === 'boolean' ? ' (put it in quotes)' : ''}`);
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed === '') {
      if (rule.required || rule.nonEmpty) report(walk, path, 'must not be empty');
      return undefined;
    }
    if (trimmed.length > rule.max) report(walk, path, `is ${trimmed.length} characters; the limit is ${rule.max}`);
    if (BAD_CHARACTERS.test(trimmed)) report(walk, path, 'contains a control or invalid character');
    const problem = rule.check?.(trimmed);
    if (problem) {
      report(walk, path, problem);
      return undefined;
    }
    return trimmed;
  };
}

/** true or false. */
export function boolean(): Field<boolean> {
  return (value, path, walk) => {
    if (absent(value)) return undefined;
    if (typeof value === 'boolean') return value;
    report(walk, path, 'must be true or false');
    return undefined;
  };
}

export interface ListRule {
  /** What to say when the value is not a list (or, for a required list, is missing or too short). */
  shape: string;
  required?: boolean;
  min?: number;
  max: number;
  /** Drop repeated values (tags). */
  unique?: boolean;
}

/** A list of `item`, within `max` entries. */
export function list<T>(item: Field<T>, rule: ListRule): Field<T[]> {
  return (value, path, walk) => {
    if (absent(value) && !rule.required) return undefined;
    if (!Array.isArray(value) || value.length < (rule.min ?? 0)) {
      report(walk, path, rule.shape);
      return undefined;
    }
    if (value.length > rule.max) report(walk, path, `has ${value.length} entries; the limit is ${rule.max}`);
    const out: T[] = [];
    value.forEach((entry, i) => {
      const found = item(entry, [...path, i], walk);
      if (found !== undefined && !(rule.unique && out.includes(found))) out.push(found);
    });
    return out;
  };
}

export interface RecordRule {
  /** What to say when the value is not a mapping; by default, that it must be one. */
  shape?: string;
  required?: boolean;
  /** Fields not in the schema: ignored with a warning (front matter), or an error (banner copy). */
  unknown: 'warning' | 'error';
  /** What the unknown field belongs to, for its message ("author", "image"). */
  noun?: string;
}

type Fields = Record<string, Field<unknown>>;
type Output<F extends Fields> = { [K in keyof F]?: F[K] extends Field<infer T> ? T : never };

/** A mapping of named fields. The result holds the fields that were found and valid. */
export function record<F extends Fields>(fields: F, rule: RecordRule): Field<Output<F>> {
  const known = Object.keys(fields);
  return (value, path, walk) => {
    if (absent(value)) return missing(walk, path, rule.required);
    if (!isRecord(value)) {
      report(walk, path, rule.shape ?? 'must be a mapping');
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(fields)) {
      const found = field(value[key], [...path, key], walk);
      if (found !== undefined) out[key] = found;
    }
    for (const key of Object.keys(value)) {
      if (key in fields) continue;
      const ignored = rule.unknown === 'warning' ? ' is ignored' : '';
      walk.problems.push({
        line: walk.lineOf(...path, key),
        severity: rule.unknown,
        message: `unknown ${rule.noun ? `${rule.noun} ` : ''}field "${key}"${ignored} (known: ${known.join(', ')})`,
      });
    }
    return out as Output<F>;
  };
}

/** Text or a mapping, whichever the value is (an author: a name, or {name, url}). */
export function textOrRecord<T>(asText: Field<T>, asRecord: Field<T>, shape: string): Field<T> {
  return (value, path, walk) => {
    if (typeof value === 'string') return asText(value, path, walk);
    if (isRecord(value)) return asRecord(value, path, walk);
    report(walk, path, shape);
    return undefined;
  };
}

/** `field`, with what it found turned into something else. */
export function map<T, U>(field: Field<T>, to: (value: T) => U): Field<U> {
  return (value, path, walk) => {
    const found = field(value, path, walk);
    return found === undefined ? undefined : to(found);
  };
}
