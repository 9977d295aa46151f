import { describe, expect, it } from 'vitest';
import shipped from '../../../articles/fronts.yaml?raw';
import { editionAlternates, editionById, editionFor, parseFrontsFile, type Fronts } from '../../../src/content/fronts.ts';

/** The shape the issue asks the file to accept, word for word. */
export const ISSUE_SHAPE = `editions:
  uk: { title: UK edition, regions: [UK] }
  us: { title: US edition, regions: [US, CA] }
  international: { title: International edition, regions: [EU, AU, NZ, INTL] }
fronts:
  uk:
    - title: Top stories
      articles: [local/harbour-ferry-returns, politics/council-budget-explained]
    - title: Science
      section: science
      count: 4
  us:
    - title: Top stories
      articles: [world/americas/delta-floating-gardens]
      section: world
      count: 6
`;

function parsed(source: string): { fronts: Fronts; curated: { slug: string; line: number }[] } {
  const result = parseFrontsFile(source);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result;
}

function problems(source: string): string[] {
  const result = parseFrontsFile(source);
  return result.ok ? [] : result.problems.map((p) => `${p.line}: ${p.message}`);
}

describe('parseFrontsFile', () => {
  it('accepts the shape of the issue: editions, curated containers, query containers and both', () => {
    const { fronts, curated } = parsed(ISSUE_SHAPE);
    expect(fronts.editions.map((e) => [e.id, e.title, e.regions])).toEqual([
      ['uk', 'UK edition', ['UK']], ['us', 'US edition', ['US', 'CA']], ['international', 'International edition', ['EU', 'AU', 'NZ', 'INTL']],
    ]);
    expect(fronts.fronts.uk).toEqual([
      { title: 'Top stories', articles: ['local/harbour-ferry-returns', 'politics/council-budget-explained'], count: 2 },
      { title: 'Science', articles: [], query: { kind: 'section', name: 'science', key: 'science' }, count: 4 },
    ]);
    expect(fronts.fronts.us![0]).toEqual({
      title: 'Top stories', articles: ['world/americas/delta-floating-gardens'], query: { kind: 'section', name: 'world', key: 'world' }, count: 6,
    });
    expect(fronts.fronts.international).toBeUndefined();
    expect(curated).toEqual([
      { slug: 'local/harbour-ferry-returns', line: 8 }, { slug: 'politics/council-budget-explained', line: 8 }, { slug: 'world/americas/delta-floating-gardens', line: 14 },
    ]);
  });

  it('fills from a topic or an author by their page address', () => {
    const { fronts } = parsed('editions:\n  uk: { title: UK, regions: [UK] }\nfronts:\n  uk:\n    - { title: Climate, topic: Climate Crisis }\n    - { title: Ruth, author: Ruth Okafor, count: 2 }\n');
    expect(fronts.fronts.uk!.map((c) => [c.query, c.count])).toEqual([
      [{ kind: 'topic', name: 'Climate Crisis', key: 'climate-crisis' }, 4],
      [{ kind: 'author', name: 'Ruth Okafor', key: 'ruth-okafor' }, 2],
    ]);
  });

  it('reports each mistake at its line: unknown edition, bad count, unknown region group, a group served twice, and more', () => {
    expect(problems(`editions:
  uk: { title: UK edition, regions: [UK, MARS] }
  us: { title: US edition, regions: [US, UK] }
fronts:
  uk:
    - title: Top
      section: world
      count: 0
    - title: Lots
      section: world
      count: 40
    - title: Two queries
      section: world
      topic: climate
    - title: Nothing
    - articles: [Not A Slug]
  au:
    - title: Top
      section: world
`)).toEqual([
      '2: editions.uk.regions.1 "MARS" is not a region group (known: US, UK, EU, AU, CA, NZ, INTL)',
      '3: editions.us.regions.1 UK is already served by the uk edition',
      '8: fronts.uk.0.count must be a whole number from 1 to 12',
      '11: fronts.uk.1.count must be a whole number from 1 to 12',
      '12: fronts.uk.2 fills from one list: give a section, a topic or an author, not section and topic',
      '15: fronts.uk.3 has nothing to show: give articles, or a section, topic or author to fill from',
      '16: fronts.uk.4.title is required',
      '16: fronts.uk.4.articles.0 is not an article slug (lower-case words and digits joined by hyphens, parts separated by "/")',
      '17: fronts.au is not an edition (editions: uk, us)',
    ]);
  });

  it('refuses a file with no editions, unknown fields, a count without a query, and broken YAML', () => {
    expect(problems('fronts: {}\n')).toEqual(['1: has no editions: name at least one, with the region groups it serves']);
    expect(problems('editions:\n  uk: { title: UK, regions: [UK], colour: red }\nlayout: wide\n')).toEqual([
      '2: unknown edition field "colour" (known: title, regions)',
      '3: unknown field "layout" (known: editions, fronts)',
    ]);
    expect(problems('editions:\n  uk: { title: UK, regions: [UK] }\nfronts:\n  uk:\n    - { title: A, articles: [a/b], count: 3 }\n')).toEqual([
      '5: fronts.uk.0.count needs a section, topic or author to fill from',
    ]);
    expect(problems('editions: [\n')[0]).toMatch(/^\d+: fronts: /);
  });
});

describe('editions', () => {
  const { fronts } = parsed(ISSUE_SHAPE);

  it('gives each region group the edition that names it, and the first edition to a group none names', () => {
    expect(editionFor(fronts, 'UK')?.id).toBe('uk');
    expect(editionFor(fronts, 'CA')?.id).toBe('us');
    expect(editionFor(fronts, 'NZ')?.id).toBe('international');
    const partial = parsed('editions:\n  us: { title: US, regions: [US] }\n  uk: { title: UK, regions: [UK] }\n').fronts;
    expect(editionFor(partial, 'EU')?.id).toBe('us');
    expect(editionById(fronts, 'us')?.title).toBe('US edition');
    expect(editionById(fronts, 'mars')).toBeNull();
  });

  it('announces every edition to search engines with the same reciprocal set, and / as the x-default', () => {
    expect(editionAlternates(fronts, 'en')).toEqual([
      { hreflang: 'en-GB', path: '/editions/uk' },
      { hreflang: 'en-US', path: '/editions/us' },
      { hreflang: 'en-CA', path: '/editions/us' },
      { hreflang: 'en-AU', path: '/editions/international' },
      { hreflang: 'en-NZ', path: '/editions/international' },
      { hreflang: 'x-default', path: '/' },
    ]);
    expect(editionAlternates(parsed('editions:\n  uk: { title: UK, regions: [UK] }\n').fronts, 'en')).toEqual([]);
  });
});

describe('the shipped fronts file', () => {
  it('parses, with two editions that serve every region group between them', () => {
    const { fronts } = parsed(shipped);
    expect(fronts.editions.length).toBe(2);
    expect(fronts.editions.flatMap((e) => e.regions).sort()).toEqual(['AU', 'CA', 'EU', 'INTL', 'NZ', 'UK', 'US']);
  });
});
