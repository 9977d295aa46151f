import { describe, expect, it } from 'vitest';
import { boolean, list, map, record, text, textOrRecord, type Walk } from '../../../src/content/schema.ts';
import { parseYamlMapping } from '../../../src/content/yaml-mapping.ts';

/** Walks `yaml` with `field`, returning what it found and each problem as "line: message". */
function check<T>(field: (value: unknown, path: (string | number)[], walk: Walk) => T | undefined, yaml: string) {
  const parsed = parseYamlMapping(yaml, 1, 'test');
  if (!parsed.ok) throw new Error('bad YAML in the test');
  const walk: Walk = { lineOf: parsed.mapping.lineOf, problems: [] };
  const found = field(parsed.mapping.data, [], walk);
  return { found, problems: walk.problems.map((p) => `${p.line}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`) };
}

describe('the schema walker', () => {
  const people = record({
    team: text({ max: 20, required: true }),
    active: boolean(),
    members: list(
      textOrRecord(map(text({ max: 10, required: true }), (name) => ({ name })), record({ name: text({ max: 10, required: true }) }, { unknown: 'warning', noun: 'member' }), 'must be a name or {name}'),
      { max: 2, unique: false, shape: 'must be a list of members' },
    ),
  }, { unknown: 'error' });

  it('returns what it found, trimmed, when everything is right', () => {
    expect(check(people, 'team: " Desk "\nactive: true\nmembers:\n  - Ann\n  - name: Bo\n')).toEqual({
      found: { team: 'Desk', active: true, members: [{ name: 'Ann' }, { name: 'Bo' }] }, problems: [],
    });
  });

  it('reports each problem at the line of its value, named by its path', () => {
    const { problems } = check(people, 'team: 12\nactive: sometimes\nmembers:\n  - Ann\n  - 7\n  - name: A name far too long\n    role: x\nboss: Cy\n');
    expect(problems).toEqual([
      '1: team must be text (put it in quotes)',
      '2: active must be true or false',
      '3: members has 3 entries; the limit is 2',
      '5: members.1 must be a name or {name}',
      '6: members.2.name is 19 characters; the limit is 10',
      '7: warning: unknown member field "role" is ignored (known: name)',
      '8: unknown field "boss" (known: team, active, members)',
    ]);
  });

  it('reports a missing required value on the line of what should hold it', () => {
    expect(check(people, 'active: false\nmembers:\n  - {}\n').problems).toEqual(['1: team is required', '3: members.0.name is required']);
  });

  it('drops repeated values from a list that asks for it', () => {
    const tags = record({ tags: list(text({ max: 9, numbers: true }), { max: 9, unique: true, shape: 'must be a list' }) }, { unknown: 'error' });
    expect(check(tags, 'tags: [a, b, a, 2026, "2026"]').found).toEqual({ tags: ['a', 'b', '2026'] });
  });
});
