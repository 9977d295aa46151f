/**
 * Purging after a publish: Workers Cache through the deployed worker's signed
 * purge route, and every HTTP cache in front of it named in `PURGE_URLS`
 * (comma-separated base URLs): a Varnish with the `BAN` request the README's
 * VCL accepts, or a Fastly service (`https://api.fastly.com/service/<id>`)
 * through its purge-by-surrogate-key API with `FASTLY_API_TOKEN`. A purge that fails never undoes a publish, whose content is
 * already live: each target's outcome is reported, and the command prints
 * how to retry (`npm run purge -- …`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ARTICLES_TAG, INDEX_TAG, ROBOTS_TAG, purgeSet } from '../content/cache-tags.ts';
import { MAX_PURGE_TAGS, PURGE_PATH, signPurge, type PurgeBody } from '../content/purge-request.ts';

/** Where purges go. */
export interface PurgeTargets {
  /** The deployed worker's origin, for Workers Cache; none for local publishing. */
  worker?: string;
  /** `PURGE_SECRET`, which the worker's purge route checks. */
  secret?: string;
  /** Base URLs of the caches in front (Varnish with the README's VCL, or a Fastly service's API URL). */
  proxies: string[];
  /** `FASTLY_API_TOKEN`, for Fastly services among the proxies. */
  fastlyToken?: string;
}

export interface PurgeResult {
  target: string;
  ok: boolean;
  detail: string;
}

/** Tags per `BAN`: `Surrogate-Key` stays well under Varnish's 8 KB header limit. */
const TAGS_PER_BAN = 50;
const TIMEOUT_MS = 15_000;

/**
 * The purge targets from the environment: `PURGE_URLS` always; the worker
 * for remote targets at `PURGE_ORIGIN`, else `SITE_URL` (the environment's,
 * then wrangler.toml's), with `PURGE_SECRET`. `PURGE_ORIGIN` also points a
 * local publish at a worker, for testing the route.
 */
export async function purgeTargetsFromEnv(
  root: string, remote: boolean, env: NodeJS.ProcessEnv = process.env, environment?: string,
): Promise<PurgeTargets> {
  const proxies = (env.PURGE_URLS ?? '').split(',').map((u) => u.trim().replace(/\/+$/, '')).filter(Boolean);
  const worker = env.PURGE_ORIGIN || (remote ? env.SITE_URL || (await configuredSiteUrl(root, environment)) : undefined);
  return {
    proxies,
    ...(worker && { worker: worker.replace(/\/+$/, '') }),
    ...(env.PURGE_SECRET && { secret: env.PURGE_SECRET }),
    ...(env.FASTLY_API_TOKEN && { fastlyToken: env.FASTLY_API_TOKEN }),
  };
}

/** `SITE_URL` from wrangler.toml's `[vars]` (or an environment's), when set there. */
async function configuredSiteUrl(root: string, environment?: string): Promise<string | undefined> {
  return /^(https?:\/\/\S+)$/.exec((await configuredVar(root, 'SITE_URL', environment)) ?? '')?.[1];
}

/** A string var from wrangler.toml's `[vars]`, or from `[env.<environment>.vars]`. */
export async function configuredVar(root: string, name: string, environment?: string): Promise<string | undefined> {
  const toml = await readFile(path.join(root, 'wrangler.toml'), 'utf8').catch(() => '');
  const header = environment ? `[env.${environment}.vars]` : '[vars]';
  const start = toml.split('\n').findIndex((line) => line.trim() === header);
  if (start === -1) return undefined;
  for (const line of toml.split('\n').slice(start + 1)) {
    if (line.trim().startsWith('[')) break;
    const value = new RegExp(`^\\s*${name}\\s*=\\s*"([^"]*)"`).exec(line)?.[1];
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * How long after its write a command purges a second time: every isolate
 * reuses what it read from the index for `ISOLATE_CACHE_TTL`, and a refresh
 * may take up to `D1_TIMEOUT_MS` more, so a page an isolate cached from a
 * check made before the write is purged again once all of them have expired.
 * The settings are wrangler.toml's (a change made in the dashboard is not seen).
 */
export async function settleMsFromConfig(root: string, environment?: string): Promise<number> {
  const isolateTtl = Number((await configuredVar(root, 'ISOLATE_CACHE_TTL', environment)) ?? 5);
  const d1Timeout = Number((await configuredVar(root, 'D1_TIMEOUT_MS', environment)) ?? 2000);
  return settleMs(Number.isFinite(isolateTtl) ? isolateTtl : 5, Number.isFinite(d1Timeout) ? d1Timeout : 2000);
}

/** The second purge's delay for given settings: the memo's lifetime, a refresh's timeout, and a second to spare. */
export function settleMs(isolateTtlSeconds: number, d1TimeoutMs: number): number {
  return isolateTtlSeconds === 0 ? 0 : isolateTtlSeconds * 1000 + d1TimeoutMs + 1000;
}

/** Checks base URLs before anything is sent, so a typo in `PURGE_URLS` is an error at once. */
export function badTargets(targets: PurgeTargets): string[] {
  return [...(targets.worker ? [targets.worker] : []), ...targets.proxies].filter((u) => {
    try {
      return !/^https?:$/.test(new URL(u).protocol);
    } catch {
      return true;
    }
  });
}

/** Sends `body` to every target; never throws. */
export async function sendPurges(
  body: PurgeBody, targets: PurgeTargets, { fetch = globalThis.fetch, now = Date.now() }: { fetch?: typeof globalThis.fetch; now?: number } = {},
): Promise<PurgeResult[]> {
  const results: PurgeResult[] = [];
  if (targets.worker) results.push(await purgeWorker(targets.worker, targets.secret, body, fetch, now));
  for (const proxy of targets.proxies) {
    results.push(FASTLY_SERVICE.test(proxy) ? await purgeFastly(proxy, targets.fastlyToken, body, fetch) : await banProxy(proxy, body, fetch));
  }
  return results;
}

/** A Fastly service's API URL in `PURGE_URLS`. */
const FASTLY_SERVICE = /^https:\/\/api\.fastly\.com\/service\/[A-Za-z0-9]+$/;
/** Fastly purges at most 256 surrogate keys per request. */
const KEYS_PER_FASTLY_PURGE = 256;

/** Fastly: `POST /service/<id>/purge` with the tags in `Surrogate-Key`; `everything` is `purge_all`. */
async function purgeFastly(service: string, token: string | undefined, body: PurgeBody, fetch: typeof globalThis.fetch): Promise<PurgeResult> {
  if (!token) return { target: service, ok: false, detail: 'FASTLY_API_TOKEN is not set' };
  const headers = { 'Fastly-Key': token, Accept: 'application/json' };
  try {
    if ('everything' in body) {
      const res = await fetch(`${service}/purge_all`, { method: 'POST', headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
      await res.arrayBuffer();
      return res.ok ? { target: service, ok: true, detail: 'everything purged' } : { target: service, ok: false, detail: `purge_all answered ${res.status}` };
    }
    for (let i = 0; i < body.tags.length; i += KEYS_PER_FASTLY_PURGE) {
      const keys = body.tags.slice(i, i + KEYS_PER_FASTLY_PURGE).join(' ');
      const res = await fetch(`${service}/purge`, { method: 'POST', headers: { ...headers, 'Surrogate-Key': keys }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      await res.arrayBuffer();
      if (!res.ok) return { target: service, ok: false, detail: `purge answered ${res.status} after ${i} of ${body.tags.length} tag(s)` };
    }
  } catch (error) {
    return { target: service, ok: false, detail: `could not reach it: ${error instanceof Error ? error.message : error}` };
  }
  return { target: service, ok: true, detail: `${body.tags.length} tag(s) purged` };
}

async function purgeWorker(origin: string, secret: string | undefined, body: PurgeBody, fetch: typeof globalThis.fetch, now: number): Promise<PurgeResult> {
  const target = `Workers Cache (${origin})`;
  if (!secret) return { target, ok: false, detail: 'PURGE_SECRET is not set: export the value the worker has (npx wrangler secret put PURGE_SECRET)' };
  const signed = await signPurge(secret, body, now);
  try {
    const res = await fetch(origin + PURGE_PATH, { method: 'POST', headers: signed.headers, body: signed.body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await res.text();
    let answer: { cache?: string; calls?: number; tags?: number; error?: string; failed?: string[] } = {};
    try {
      answer = JSON.parse(text);
    } catch {
      return { target, ok: false, detail: `${res.status}, not the purge route's answer: ${text.slice(0, 200)}` };
    }
    if (res.ok && answer.cache === 'purged') return { target, ok: true, detail: `${answer.tags ?? 0} tag(s) in ${answer.calls} call(s)` };
    if (res.ok && answer.cache === 'absent') return { target, ok: true, detail: 'the worker runs without Workers Cache; nothing to purge' };
    return { target, ok: false, detail: `${res.status}: ${answer.error ?? text.slice(0, 200)}${answer.failed ? ` (${answer.failed.length} tag(s) not purged)` : ''}` };
  } catch (error) {
    return { target, ok: false, detail: `could not reach it: ${error instanceof Error ? error.message : error}` };
  }
}

/** Bans by `Surrogate-Key`, in requests of at most {@link TAGS_PER_BAN} tags; `everything` bans every tagged object. */
async function banProxy(base: string, body: PurgeBody, fetch: typeof globalThis.fetch): Promise<PurgeResult> {
  const tags = 'everything' in body ? [ARTICLES_TAG, INDEX_TAG, ROBOTS_TAG] : body.tags;
  let sent = 0;
  try {
    for (let i = 0; i < tags.length; i += TAGS_PER_BAN) {
      const res = await fetch(`${base}/`, {
        method: 'BAN', headers: { 'Surrogate-Key': tags.slice(i, i + TAGS_PER_BAN).join(' ') }, signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.arrayBuffer();
      if (!res.ok) return { target: base, ok: false, detail: `BAN answered ${res.status} after ${sent} of ${tags.length} tag(s)` };
      sent = Math.min(tags.length, i + TAGS_PER_BAN);
    }
  } catch (error) {
    return { target: base, ok: false, detail: `could not reach it after ${sent} of ${tags.length} tag(s): ${error instanceof Error ? error.message : error}` };
  }
  return { target: base, ok: true, detail: `${tags.length} tag(s) banned` };
}

/** One line per target, and how to retry the ones that failed; true when every target purged. */
export function reportPurges(results: PurgeResult[], body: PurgeBody, remote: boolean, log: (line: string) => void): boolean {
  for (const r of results) log(`  ${r.ok ? 'purged' : 'FAILED'}  ${r.target}: ${r.detail}`);
  const failed = results.filter((r) => !r.ok);
  if (failed.length) {
    const what = 'everything' in body ? '--everything' : body.tags.join(' ');
    log(`The content is live, but ${failed.length} cache(s) may serve the old version until their lifetime ends. Retry with:`);
    log(`  npm run purge -- ${remote ? '--remote' : '--local'} ${what}`);
  }
  return failed.length === 0;
}

/**
 * Purges `tags` (made into one set within the purge route's limit) from the
 * caches in `options.purge`, reporting each; a dry run says what it would do.
 * With `settleMs`, it purges again that long after the first (see
 * {@link settleMsFromConfig}), and reports the second.
 */
export async function purgeChanged(
  tags: string[], target: { remote: boolean },
  options: { dryRun?: boolean; purge?: PurgeTargets; fetch?: typeof globalThis.fetch; settleMs?: number },
  log: (line: string) => void,
): Promise<boolean> {
  if (!tags.length || !options.purge) return true;
  const set = purgeSet(tags, MAX_PURGE_TAGS);
  const where = [...(options.purge.worker ? ['Workers Cache'] : []), ...options.purge.proxies];
  if (!where.length) {
    log(`No cache to purge (${set.tags.length} tag(s) changed): set PURGE_URLS${target.remote ? ', and SITE_URL with PURGE_SECRET,' : ''} to purge on publish.`);
    return true;
  }
  const summary = `${set.tags.length} tag(s)${set.broadened ? ' (broadened: too many exact tags for one purge)' : ''}`;
  if (options.dryRun) {
    log(`Would purge ${summary} from ${where.join(', ')}: ${set.tags.join(' ')}`);
    return true;
  }
  log(`Purging ${summary}:`);
  const body = { tags: set.tags };
  const send = () => sendPurges(body, options.purge!, { ...(options.fetch && { fetch: options.fetch }) });
  const first = await send();
  if (!options.settleMs) return reportPurges(first, body, target.remote, log);
  for (const r of first) log(`  ${r.ok ? 'purged' : 'FAILED'}  ${r.target}: ${r.detail}`);
  log(`Purging again in ${Math.round(options.settleMs / 1000)} s, once every isolate has read the index again…`);
  await new Promise((resolve) => setTimeout(resolve, options.settleMs));
  const second = await send();
  return reportPurges(second.map((r, i) => (first[i]?.ok ? r : { ...r, ok: false, detail: `first purge: ${first[i]!.detail}; again: ${r.detail}` })), body, target.remote, log);
}

