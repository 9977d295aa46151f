/**
 * `npm run smoke -- <origin>`
 *
 * Checks a running site (deployed, or `npm start`) the way a cache sees it:
 * the caching headers of every route family, region variants that differ
 * from each other and are each stable, 304s and HEAD, the previous deploy's
 * stylesheet, the 404 lifetime, the purge route's refusals, and a cache hit
 * on a repeated request when a cache is in front (`CF-Cache-Status`, `Age`).
 * Prints one line per check and exits 1 when any fails.
 */
import { createHash } from 'node:crypto';
import { REGION_GROUPS } from '../content/region-groups.ts';
import { PURGE_PATH } from '../content/purge-request.ts';

export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
  /** Informational: nothing to check here (no cache in front, say). */
  skipped?: boolean;
}

type Fetch = typeof globalThis.fetch;

interface Got {
  status: number;
  headers: Headers;
  body: string;
  hash: string;
}

/** Runs every check against `origin`. */
export async function smoke(origin: string, fetch: Fetch = globalThis.fetch): Promise<Check[]> {
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail?: string) => checks.push({ name, ok, ...(detail !== undefined && { detail }) });
  const get = async (path: string, init: RequestInit = {}): Promise<Got> => {
    const res = await fetch(origin + path, { redirect: 'manual', ...init, headers: { 'User-Agent': 'broadsheet-smoke', ...(init.headers as Record<string, string>) } });
    const body = await res.text();
    return { status: res.status, headers: res.headers, body, hash: createHash('sha256').update(body).digest('hex').slice(0, 16) };
  };

  const front = await get('/');
  check('front page answers 200', front.status === 200, `got ${front.status}`);
  const article = /href="\/articles\/([a-z0-9/-]+)"/.exec(front.body)?.[1];
  check('front page links to an article', article !== undefined);
  if (article === undefined) return checks;
  const page = await get(`/articles/${article}`);
  const section = /href="(\/sections\/[a-z0-9-]+)"/.exec(page.body)?.[1];
  const word = /<h1[^>]*>([^<]*)<\/h1>/.exec(page.body)?.[1]?.match(/[A-Za-z]{4,}/)?.[0] ?? 'news';
  const stylesheet = /<link rel="stylesheet" href="(\/assets\/site\.[0-9a-f]{8}\.css)"/.exec(page.body)?.[1];

  // Every route family: the caching contract, on 200, 304 and HEAD alike.
  const families: { name: string; path: string; regional: boolean }[] = [
    // The front page is the reader's edition: it varies by region group, as article pages do.
    { name: 'front page', path: '/', regional: true },
    { name: 'newest-first list', path: '/latest', regional: false },
    { name: 'article page', path: `/articles/${article}`, regional: true },
    { name: 'article JSON', path: `/api/articles/${article}`, regional: false },
    { name: 'feed', path: '/feed.xml', regional: false },
    { name: 'sitemap index', path: '/sitemap.xml', regional: false },
    { name: 'news sitemap', path: '/sitemaps/news.xml', regional: false },
    { name: 'robots.txt', path: '/robots.txt', regional: false },
    { name: 'search', path: `/search?q=${encodeURIComponent(word.toLowerCase())}`, regional: false },
    ...(section ? [{ name: 'section page', path: section, regional: false }, { name: 'section feed', path: `${section}/feed.xml`, regional: false }] : []),
  ];
  let articleVary = '';
  for (const family of families) {
    const res = await get(family.path);
    const problems = contractProblems(res, family.regional);
    check(`${family.name} (${family.path}): caching headers`, problems.length === 0, problems.join('; '));
    if (family.regional) articleVary = res.headers.get('Vary') ?? '';
    const etag = res.headers.get('ETag');
    if (res.status !== 200 || !etag) continue;
    const revalidated = await get(family.path, { headers: { 'If-None-Match': etag } });
    const same = ['ETag', 'Cache-Control', 'CDN-Cache-Control', 'Vary', 'Cache-Tag'].filter((h) => revalidated.headers.get(h) !== res.headers.get(h));
    check(`${family.name}: If-None-Match answers 304 with the same caching headers`, revalidated.status === 304 && revalidated.body === '' && same.length === 0,
      `status ${revalidated.status}${same.length ? `, differs: ${same.join(', ')}` : ''}`);
    const lastModified = res.headers.get('Last-Modified');
    if (lastModified) {
      const since = await get(family.path, { headers: { 'If-Modified-Since': lastModified } });
      check(`${family.name}: If-Modified-Since alone gets the full response`, since.status === 200, `status ${since.status}`);
    }
    const head = await get(family.path, { method: 'HEAD' });
    const headDiffers = ['ETag', 'Cache-Control', 'Content-Type', 'Vary'].filter((h) => head.headers.get(h) !== res.headers.get(h));
    check(`${family.name}: HEAD answers GET's headers`, head.status === 200 && head.body === '' && headDiffers.length === 0,
      `status ${head.status}${headDiffers.length ? `, differs: ${headDiffers.join(', ')}` : ''}`);
  }
  check('article pages vary on a region header', articleVary.split(',').some((v) => v.trim() !== '' && v.trim().toLowerCase() !== 'accept-encoding'), `Vary: ${articleVary || '(none)'}`);

  // Region variants: seven different pages, each the same on every request.
  const variants = new Map<string, string>();
  const purgeTags = new Set<string | null>();
  for (const group of REGION_GROUPS) {
    const path = `/articles/${article}?region=${group}`;
    const [one, two] = [await get(path), await get(path)];
    const banner = /data-region="([A-Z]+)"/.exec(one.body)?.[1];
    check(`article for ${group}: its own banner, stable`, one.status === 200 && banner === group && one.hash === two.hash && one.headers.get('ETag') === two.headers.get('ETag'),
      `banner ${banner ?? 'none'}, ${one.hash === two.hash ? 'stable' : 'bytes differ between requests'}`);
    variants.set(group, one.headers.get('ETag') ?? '');
    purgeTags.add(one.headers.get('Cache-Tag'));
  }
  check('region variants differ from each other', new Set(variants.values()).size === REGION_GROUPS.length, `${new Set(variants.values()).size} distinct ETags`);
  check('region variants share their purge tags', purgeTags.size === 1 && !purgeTags.has(null), `${purgeTags.size} distinct Cache-Tag values`);

  // Stylesheets: this deploy's is immutable; another deploy's still gets a stylesheet.
  if (stylesheet) {
    const current = await get(stylesheet);
    check('stylesheet: immutable at its hash', current.status === 200 && /immutable/.test(current.headers.get('Cache-Control') ?? ''), `${current.status} ${current.headers.get('Cache-Control')}`);
    const previous = stylesheet.replace(/\.[0-9a-f]{8}\.css$/, stylesheet.includes('.00000000.') ? '.ffffffff.css' : '.00000000.css');
    const old = await get(previous);
    check('stylesheet: a previous deploy\'s URL gets the current stylesheet, not immutable', old.status === 200 && /text\/css/.test(old.headers.get('Content-Type') ?? '') && !/immutable/.test(old.headers.get('Cache-Control') ?? ''),
      `${old.status} ${old.headers.get('Content-Type')} ${old.headers.get('Cache-Control')}`);
  } else {
    check('pages link a content-hashed stylesheet', false, 'no <link rel="stylesheet" href="/assets/site.<hash>.css">');
  }

  // Errors: a short, explicit 404 lifetime.
  const missing = await get(`/articles/smoke-check-${Date.now()}`);
  const maxAge = Number(/max-age=(\d+)/.exec(missing.headers.get('Cache-Control') ?? '')?.[1] ?? NaN);
  check('unknown article: 404 with a short explicit lifetime', missing.status === 404 && maxAge >= 0 && maxAge <= 600, `${missing.status} ${missing.headers.get('Cache-Control')}`);
  const malformed = await get('/articles/Not..A.Slug');
  check('malformed slug: 404', malformed.status === 404, `got ${malformed.status}`);

  // The purge route refuses what is not signed, and is never cached.
  const unsigned = await get(PURGE_PATH, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"tags":["index"]}' });
  check('purge route: refuses an unsigned request with a 4xx, no-store', unsigned.status >= 400 && unsigned.status < 500 && /no-store/.test(unsigned.headers.get('Cache-Control') ?? ''),
    `${unsigned.status} ${unsigned.headers.get('Cache-Control')}`);

  // A cache in front: the repeated request is a hit.
  const first = await get(`/articles/${article}`);
  const second = await get(`/articles/${article}`);
  const status = second.headers.get('CF-Cache-Status');
  const age = second.headers.get('Age');
  if (status === null && age === null && !second.headers.has('X-Varnish')) {
    checks.push({ name: 'cache in front: none seen (no CF-Cache-Status, Age or X-Varnish)', ok: true, skipped: true });
  } else {
    check('cache in front: the second request is a hit', (status !== null && /HIT|STALE|UPDATING|REVALIDATED/.test(status)) || Number(age ?? -1) >= 0,
      `CF-Cache-Status ${status ?? '-'}, Age ${age ?? '-'} (first: ${first.headers.get('CF-Cache-Status') ?? '-'})`);
  }
  return checks;
}

/** What a cacheable 200 must carry (README, HTTP contract › Caching). */
function contractProblems(res: Got, regional: boolean): string[] {
  const h = (name: string) => res.headers.get(name) ?? '';
  const problems: string[] = [];
  if (res.status !== 200) return [`status ${res.status}`];
  if (!/^public\b/.test(h('Cache-Control')) || !/max-age=\d+/.test(h('Cache-Control'))) problems.push(`Cache-Control "${h('Cache-Control')}"`);
  if (/s-maxage/.test(h('Cache-Control'))) problems.push('s-maxage in Cache-Control');
  if (!/max-age=\d+/.test(h('CDN-Cache-Control')) || !/stale-while-revalidate=\d+/.test(h('CDN-Cache-Control')) || !/stale-if-error=\d+/.test(h('CDN-Cache-Control'))) {
    problems.push(`CDN-Cache-Control "${h('CDN-Cache-Control')}"`);
  }
  if (!/^"[^"]+"$/.test(h('ETag'))) problems.push(`ETag "${h('ETag')}" is not strong`);
  const cacheTag = h('Cache-Tag').split(',').filter(Boolean).sort().join(' ');
  const surrogate = h('Surrogate-Key').split(' ').filter(Boolean).sort().join(' ');
  if (!cacheTag || cacheTag !== surrogate) problems.push(`Cache-Tag "${h('Cache-Tag')}" and Surrogate-Key "${h('Surrogate-Key')}" differ`);
  if (res.headers.has('Set-Cookie')) problems.push('Set-Cookie on a cacheable response');
  // Caches that compress (Cloudflare, Varnish) add Accept-Encoding; anything else must be ours.
  const vary = h('Vary').split(',').map((v) => v.trim()).filter((v) => v && v.toLowerCase() !== 'accept-encoding');
  if (regional ? vary.length === 0 : vary.length > 0) problems.push(`Vary "${h('Vary')}"`);
  if (vary.some((v) => /^(cookie|user-agent|\*)$/i.test(v))) problems.push(`Vary "${h('Vary')}" names a header no cache can key on`);
  if (h('X-Content-Type-Options') !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
  if (!h('Content-Security-Policy')) problems.push('no Content-Security-Policy');
  return problems;
}

if (import.meta.filename === process.argv[1]) {
  const origin = process.argv[2]?.replace(/\/+$/, '');
  if (!origin || !/^https?:\/\/[^/]+$/.test(origin)) {
    console.error('usage: npm run smoke -- <origin>, e.g. npm run smoke -- http://127.0.0.1:8787');
    process.exit(2);
  }
  let checks: Check[];
  try {
    checks = await smoke(origin);
  } catch (error) {
    console.error(`smoke: could not check ${origin}: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
  for (const c of checks) console.log(`${c.skipped ? '-' : c.ok ? '✓' : '✗'} ${c.name}${!c.ok && c.detail ? `: ${c.detail}` : ''}`);
  const failed = checks.filter((c) => !c.ok);
  console.log(`\n${checks.length - failed.length} of ${checks.length} checks passed against ${origin}.`);
  process.exit(failed.length ? 1 : 0);
}
