/**
 * The fronts file (`articles/fronts.yaml`, `config/fronts` in KV): the
 * editions a site has, the region groups each serves, and each edition's
 * front page as a list of containers that editors curate. Pure; the publish
 * command and the worker parse it with the same {@link parseFrontsFile}, so a
 * file that publishes is a file that shows.
 *
 * A container holds curated slugs, a query (a section, a topic or an author)
 * with a count, or both: the curated ones first, then filled from the query.
 * What the worker may show of it is bounded here: at most
 * {@link MAX_CONTAINERS} containers of at most {@link MAX_CONTAINER_ARTICLES}
 * articles, so a front is one D1 batch of bounded size.
 */
import { REGION_GROUPS, isRegionGroup, type RegionGroup } from './region-groups.ts';
import { list, record, report, text, type Field, type Walk } from './schema.ts';
import { SEGMENT_PATTERN, isValidSlug, nameSlug } from './slug.ts';
import { parseYamlMapping, type Problem } from './yaml-mapping.ts';

/** Containers on one front, at most. */
export const MAX_CONTAINERS = 12;
/** Articles in one container, at most (curated and filled together). */
export const MAX_CONTAINER_ARTICLES = 12;
/** Editions, at most: each is one more cached copy of the front page. */
export const MAX_EDITIONS = REGION_GROUPS.length;
/** A container with a query and no count shows this many. */
export const DEFAULT_COUNT = 4;

export interface Edition {
  /** Its URL segment: `/editions/<id>`. */
  id: string;
  title: string;
  /** The region groups whose readers get it at `/`. */
  regions: RegionGroup[];
}

/** What a container fills from: the newest articles of a section, a topic or an author. */
export interface ContainerQuery {
  kind: 'section' | 'topic' | 'author';
  /** As written in the file: a section's segment, a topic's or author's name. */
  name: string;
  /** The list's URL segment (`/sections/<key>`, `/tags/<key>`, `/authors/<key>`). */
  key: string;
}

export interface Container {
  title: string;
  /** Curated slugs, in the order they show. */
  articles: string[];
  query?: ContainerQuery;
  /** How many articles it shows at most, curated ones included. */
  count: number;
}

export interface Fronts {
  /** In the order the file lists them; the first also serves groups no edition names. */
  editions: Edition[];
  /** Each edition's containers; an edition left out shows the newest-first list. */
  fronts: Record<string, Container[]>;
}

/** A curated slug and the file line it was written on, for the publish command's existence check. */
export interface CuratedSlug {
  slug: string;
  line: number;
}

export type FrontsFileResult =
  | { ok: true; fronts: Fronts; curated: CuratedSlug[] }
  | { ok: false; problems: Problem[]; curated: CuratedSlug[] };

/** No editions, no fronts: the site as it was before fronts, `/` the newest-first list. */
export const NO_FRONTS: Fronts = Object.freeze({ editions: [], fronts: {} }) as Fronts;

const title = text({ max: 80, required: true });

const EDITION = record({
  title,
  regions: list<string>(text({ max: 8, required: true }), { required: true, min: 1, max: REGION_GROUPS.length, unique: true, shape: `must be a list of one or more region groups (${REGION_GROUPS.join(', ')})` }),
}, { required: true, shape: 'must be a mapping with a title and regions', unknown: 'error', noun: 'edition' });

const slugText = text({ max: 200, required: true, check: (s) => (isValidSlug(s) ? null : 'is not an article slug (lower-case words and digits joined by hyphens, parts separated by "/")') });

/** A count: a whole number from 1 to the container limit. */
const count: Field<number> = (value, path, walk) => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CONTAINER_ARTICLES) {
    report(walk, path, `must be a whole number from 1 to ${MAX_CONTAINER_ARTICLES}`);
    return undefined;
  }
  return value;
};

const CONTAINER = record({
  title,
  articles: list(slugText, { max: MAX_CONTAINER_ARTICLES, unique: true, shape: 'must be a list of article slugs' }),
  section: text({ max: 80, check: (s) => (SEGMENT_PATTERN.test(s) ? null : 'must be a section segment, such as "world"') }),
  topic: text({ max: 100, numbers: true }),
  author: text({ max: 100 }),
  count,
}, { required: true, shape: 'must be a mapping with a title, and articles or a section, topic or author', unknown: 'error', noun: 'container' });

const FILE_KEYS = ['editions', 'fronts'];

/**
 * Parses and validates a fronts file. Every problem is at its file line;
 * the curated slugs come back with theirs, for the check that each exists
 * (which needs the archive, so the caller makes it).
 */
export function parseFrontsFile(source: string): FrontsFileResult {
  const yaml = parseYamlMapping(source, 1, 'fronts');
  if (!yaml.ok) return { ...yaml, curated: [] };
  const { data, lineOf } = yaml.mapping;
  const walk: Walk = { lineOf, problems: [] };
  for (const key of Object.keys(data)) {
    if (!FILE_KEYS.includes(key)) report(walk, [], `unknown field "${key}" (known: ${FILE_KEYS.join(', ')})`, { line: lineOf(key) });
  }
  const editions = parseEditions(data.editions, walk);
  const curated: CuratedSlug[] = [];
  const fronts: Record<string, Container[]> = {};
  const frontsData = data.fronts;
  if (frontsData !== undefined && frontsData !== null) {
    if (typeof frontsData !== 'object' || Array.isArray(frontsData)) report(walk, ['fronts'], 'must be a mapping from edition to its containers');
    else {
      for (const [id, containers] of Object.entries(frontsData as Record<string, unknown>)) {
        if (!editions.some((e) => e.id === id)) {
          report(walk, ['fronts', id], `is not an edition (editions: ${editions.map((e) => e.id).join(', ') || 'none'})`);
          continue;
        }
        fronts[id] = parseContainers(containers, ['fronts', id], walk, curated);
      }
    }
  }
  const problems = walk.problems.filter((p) => p.severity === 'error');
  return problems.length
    ? { ok: false, problems: problems.sort((a, b) => a.line - b.line), curated }
    : { ok: true, fronts: { editions, fronts }, curated };
}

function parseEditions(value: unknown, walk: Walk): Edition[] {
  if (value === undefined || value === null) {
    report(walk, [], 'has no editions: name at least one, with the region groups it serves');
    return [];
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    report(walk, ['editions'], 'must be a mapping from edition id to its title and regions');
    return [];
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_EDITIONS) report(walk, ['editions'], `has ${entries.length} editions; the limit is ${MAX_EDITIONS}`);
  const servedBy = new Map<string, string>();
  const editions: Edition[] = [];
  for (const [id, raw] of entries) {
    const path = ['editions', id];
    if (!SEGMENT_PATTERN.test(id) || id.length > 40) report(walk, path, 'is not an edition id (lower-case words and digits joined by hyphens, at most 40 characters)');
    const found = EDITION(raw, path, walk);
    if (!found?.title || !found.regions) continue;
    const regions: RegionGroup[] = [];
    found.regions.forEach((group, i) => {
      if (!isRegionGroup(group)) {
        report(walk, [...path, 'regions', i], `"${group}" is not a region group (known: ${REGION_GROUPS.join(', ')})`);
        return;
      }
      const other = servedBy.get(group);
      if (other) report(walk, [...path, 'regions', i], `${group} is already served by the ${other} edition`);
      else servedBy.set(group, id);
      regions.push(group);
    });
    editions.push({ id, title: found.title, regions });
  }
  return editions;
}

function parseContainers(value: unknown, path: (string | number)[], walk: Walk, curated: CuratedSlug[]): Container[] {
  if (!Array.isArray(value) || value.length === 0) {
    report(walk, path, 'must be a list of one or more containers');
    return [];
  }
  if (value.length > MAX_CONTAINERS) report(walk, path, `has ${value.length} containers; the limit is ${MAX_CONTAINERS}`);
  const containers: Container[] = [];
  value.forEach((raw, i) => {
    const at = [...path, i];
    const before = walk.problems.length;
    const found = CONTAINER(raw, at, walk);
    if (!found) return;
    if (walk.problems.length > before) {
      (found.articles ?? []).forEach((slug, j) => curated.push({ slug, line: walk.lineOf(...at, 'articles', j) }));
      return;
    }
    const queries = (['section', 'topic', 'author'] as const).filter((k) => found[k] !== undefined);
    if (queries.length > 1) report(walk, at, `fills from one list: give a section, a topic or an author, not ${queries.join(' and ')}`);
    const articles = found.articles ?? [];
    if (queries.length === 0 && articles.length === 0) report(walk, at, 'has nothing to show: give articles, or a section, topic or author to fill from');
    if (queries.length === 0 && found.count !== undefined) report(walk, [...at, 'count'], 'needs a section, topic or author to fill from');
    if (found.count !== undefined && found.count < articles.length) report(walk, [...at, 'count'], `is ${found.count}, fewer than the ${articles.length} curated articles`);
    articles.forEach((slug, j) => curated.push({ slug, line: walk.lineOf(...at, 'articles', j) }));
    if (walk.problems.length > before) return;
    const kind = queries[0];
    const name = kind && found[kind]!;
    containers.push({
      title: found.title!,
      articles,
      ...(kind && name && { query: { kind, name, key: kind === 'section' ? name : nameSlug(name) } }),
      count: found.count ?? (kind ? Math.max(DEFAULT_COUNT, articles.length) : articles.length),
    });
  });
  return containers;
}

/**
 * The edition a reader of `group` gets at `/`: the one that names the group,
 * else the first in the file; null when the site has no editions.
 */
export function editionFor(fronts: Fronts, group: string): Edition | null {
  return fronts.editions.find((e) => (e.regions as string[]).includes(group)) ?? fronts.editions[0] ?? null;
}

/** The edition with this id, or null. */
export function editionById(fronts: Fronts, id: string): Edition | null {
  return fronts.editions.find((e) => e.id === id) ?? null;
}

/** The country an `hreflang` names for a group; Europe and International are no one country, so the `x-default` covers them. */
const HREFLANG_REGION: Partial<Record<RegionGroup, string>> = { UK: 'GB', US: 'US', CA: 'CA', AU: 'AU', NZ: 'NZ' };

/**
 * The `hreflang` alternates every front carries (each edition's own URL, and
 * `/` as the `x-default`, the page that adapts to the reader), the same on
 * each so they are reciprocal. None with fewer than two editions.
 */
export function editionAlternates(fronts: Fronts, language: string): { hreflang: string; path: string }[] {
  if (fronts.editions.length < 2) return [];
  const base = language.split('-')[0]!.toLowerCase();
  const alternates = fronts.editions.flatMap((e) => e.regions
    .filter((g) => HREFLANG_REGION[g])
    .map((g) => ({ hreflang: `${base}-${HREFLANG_REGION[g]}`, path: `/editions/${e.id}` })));
  return [...alternates, { hreflang: 'x-default', path: '/' }];
}
