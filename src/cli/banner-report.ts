/**
 * `npm run banner:report -- [--local|--remote] [--since 7d] [--env <name>]`
 *
 * Impressions, clicks and click-through rate of the support banner per test,
 * arm and region group (and over all groups), each rate with its 95%
 * confidence interval, and whether each variant differs from its control.
 * Banners outside a test (`-`: the default copy, and each rule's) are listed
 * after the tests.
 *
 * - `--local` (the default) reads D1's `banner_counts`, which the worker
 *   fills when `BANNER_LOCAL_COUNTS` is on (`npm run dev` turns it on).
 * - `--remote` asks Workers Analytics Engine's SQL API for the dataset in
 *   wrangler.toml, with `CLOUDFLARE_ACCOUNT_ID` and `CLOUDFLARE_API_TOKEN`
 *   (a token with Account Analytics Read).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { reportRows, type CountRow, type ReportRow } from '../content/banner-stats.ts';
import { runCommand } from './command.ts';
import { queryIndex } from './index-writer.ts';
import { projectWrangler, type Target, type WranglerRunner } from './wrangler.ts';

export interface ReportOptions {
  root: string;
  target: Target;
  /** How far back: `7d`, `24h`. */
  since: string;
  runner: WranglerRunner;
  log: (line: string) => void;
  /** For `--remote`; the process environment unless a test gives its own. */
  environ?: NodeJS.ProcessEnv;
  fetch?: typeof globalThis.fetch;
  now?: number;
}

/** `7d` or `24h` as milliseconds; null when it is neither. */
export function parseSince(value: string): number | null {
  const match = /^(\d{1,4})([dh])$/.exec(value);
  if (!match) return null;
  return Number(match[1]) * (match[2] === 'd' ? 86_400_000 : 3_600_000);
}

/** The report, printed. Returns the exit code. */
export async function bannerReport(options: ReportOptions): Promise<number> {
  const { target, since, log } = options;
  const span = parseSince(since);
  if (span === null) {
    log(`banner:report: --since must be a number of days or hours, such as 7d or 24h, got ${JSON.stringify(since)}`);
    return 2;
  }
  const from = (options.now ?? Date.now()) - span;
  const counts = target.remote ? await remoteCounts(options, span) : await localCounts(options, from);
  const rows = reportRows(counts);
  log(`Banner events since ${new Date(from).toISOString().slice(0, target.remote ? 16 : 10)}${target.remote ? 'Z' : ' (whole days, UTC)'}, from ${target.remote ? 'Analytics Engine' : 'local D1 (banner_counts)'}:`);
  if (rows.length === 0) {
    log('  no events yet.');
    return 0;
  }
  log(formatRows(rows));
  return 0;
}

async function localCounts({ runner, target }: ReportOptions, from: number): Promise<CountRow[]> {
  const day = new Date(from).toISOString().slice(0, 10);
  return queryIndex<CountRow>(runner, target,
    `SELECT test, variant, grp AS "group", kind, SUM(count) AS n FROM banner_counts WHERE day >= '${day}' GROUP BY test, variant, grp, kind`);
}

/** The SQL sent to Analytics Engine (its dialect: `_sample_interval` weighs each sampled point). */
export function remoteQuery(dataset: string, spanMs: number): string {
  const hours = Math.max(1, Math.round(spanMs / 3_600_000));
  return `SELECT blob2 AS test, blob3 AS variant, blob4 AS "group", blob1 AS kind, SUM(_sample_interval) AS n FROM ${dataset} ` +
    `WHERE timestamp > NOW() - INTERVAL '${hours}' HOUR GROUP BY test, variant, "group", kind FORMAT JSON`;
}

async function remoteCounts(options: ReportOptions, span: number): Promise<CountRow[]> {
  const environ = options.environ ?? process.env;
  const account = environ.CLOUDFLARE_ACCOUNT_ID, token = environ.CLOUDFLARE_API_TOKEN;
  if (!account || !token) throw new Error('--remote needs CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (a token with Account Analytics Read)');
  const dataset = await datasetName(options.root, options.target.env);
  const res = await (options.fetch ?? fetch)(`https://api.cloudflare.com/client/v4/accounts/${account}/analytics_engine/sql`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: remoteQuery(dataset, span),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Analytics Engine answered ${res.status}: ${text.slice(0, 500)}`);
  const data = (JSON.parse(text) as { data: { test: string; variant: string; group: string; kind: string; n: number | string }[] }).data;
  return data.map((r) => ({ ...r, n: Number(r.n) }));
}

/** The BANNER_EVENTS dataset's name in wrangler.toml. */
async function datasetName(root: string, env?: string): Promise<string> {
  const toml = await readFile(path.join(root, 'wrangler.toml'), 'utf8');
  const header = env ? `[[env.${env}.analytics_engine_datasets]]` : '[[analytics_engine_datasets]]';
  const start = toml.split('\n').findIndex((line) => line.trim() === header);
  const block = start === -1 ? '' : toml.split('\n').slice(start + 1, start + 4).join('\n');
  const name = /dataset\s*=\s*"([a-z0-9_]+)"/.exec(block)?.[1];
  if (!name) throw new Error(`wrangler.toml has no ${header} with a dataset`);
  return name;
}

const percent = (x: number) => `${(x * 100).toFixed(2)}%`;

/** The rows as a table: one block per test. */
export function formatRows(rows: ReportRow[]): string {
  const lines: string[] = [];
  let test: string | undefined;
  for (const r of rows) {
    if (r.test !== test) {
      test = r.test;
      lines.push('', test === '-' ? 'Outside any test (default copy and rules):' : `Test ${test}:`,
        '  group  variant             impressions   clicks   dismissals   CTR      95% CI             against control');
    }
    const against = r.verdict === 'control' ? (r.test === '-' ? '' : 'control') : `${r.verdict}${r.p === null ? '' : ` (p = ${r.p < 0.001 ? '<0.001' : r.p.toFixed(3)})`}`;
    lines.push(`  ${r.group.padEnd(5)}  ${r.variant.padEnd(18)}  ${String(r.impressions).padStart(11)}  ${String(r.clicks).padStart(7)}  ${String(r.dismissals).padStart(11)}   ${percent(r.ctr).padStart(6)}   ${`${percent(r.ci[0])} – ${percent(r.ci[1])}`.padEnd(17)}  ${against}`);
  }
  return lines.join('\n');
}

if (import.meta.filename === process.argv[1]) {
  await runCommand('banner:report', '[--local|--remote] [--since 7d] [--env <name>]', (parsed, root, log) =>
    bannerReport({ root, target: parsed.target, since: parsed.options.get('since') ?? '7d', runner: projectWrangler(root), log }), [], ['since']);
}
