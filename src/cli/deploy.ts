/**
 * `npm run deploy -- [--env staging] [--dry-run]`
 *
 * One command from a checkout to a running site, on a new Cloudflare account
 * as on an old one:
 *
 * 1. checks: generated types up to date, `tsc` for the worker and the
 *    commands, and `wrangler deploy --dry-run` (config and bundle);
 * 2. the worker's required secrets (`[secrets] required`): each one the
 *    worker lacks must be in the environment, and is sent with the deploy
 *    (`--secrets-file`); a missing one stops everything, with how to set it;
 * 3. the MEDIA R2 bucket, created when it does not exist (its name is in
 *    wrangler.toml, and the publish command uploads to it by that name);
 * 4. the D1 migrations: applied before the deploy, so new code never meets
 *    old tables, except on the very first deploy, when the database does not
 *    exist yet: wrangler creates it (and the KV namespace) during the deploy
 *    (automatic provisioning), and the migrations follow at once;
 * 5. the deploy itself, which also registers the Cron Trigger and turns
 *    Workers Cache on.
 *
 * `--dry-run` runs the checks and the read-only questions, and prints what it
 * would do. Everything goes through the project's own wrangler.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mediaBucketName } from './media.ts';
import { configuredVar } from './purger.ts';
import { projectWrangler, type WranglerResult, type WranglerRunner } from './wrangler.ts';

export interface DeployOptions {
  root: string;
  /** An environment of wrangler.toml, e.g. `staging`. */
  env?: string;
  dryRun?: boolean;
  runner: WranglerRunner;
  /** Runs the TypeScript compiler over a project file; injected by tests. */
  typecheck: (project: string) => Promise<WranglerResult>;
  /** Where secret values come from: the process environment. */
  environ: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

/** What a secret is for, in the message that asks for it. */
const SECRET_PURPOSE: Record<string, string> = {
  PREVIEW_SECRET: 'signs draft preview links; `npm run publish` needs the same value to print them',
  PURGE_SECRET: 'signs purge requests; `npm run publish` needs the same value to purge Workers Cache',
};

/** Deploys. Returns the exit code: 0 deployed (or would be), 1 a problem, reported. */
export async function deploy({ root, env, dryRun = false, runner, typecheck, environ, log }: DeployOptions): Promise<number> {
  // The top-level environment by name (an empty one), or wrangler warns that several are defined.
  const envArgs = ['--env', env ?? ''];
  const name = `${env ? `the ${env} worker` : 'the worker'}`;
  const step = (line: string) => log(`• ${line}`);

  step('Checking types, the configuration and the bundle');
  const checks: [string, () => Promise<WranglerResult>][] = [
    ['generated binding types (run `npm run types`)', () => runner(['types', '--include-runtime=false', '--strict-vars=false', '--check'])],
    ['TypeScript: the worker', () => typecheck('tsconfig.json')],
    ['TypeScript: the commands and tests', () => typecheck('tsconfig.node.json')],
    ['wrangler deploy --dry-run', async () => {
      const outdir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-deploy-'));
      try {
        return await runner(['deploy', '--dry-run', '--outdir', outdir, ...envArgs]);
      } finally {
        await rm(outdir, { recursive: true, force: true });
      }
    }],
  ];
  for (const [what, run] of checks) {
    const result = await run();
    if (result.code !== 0) {
      log(`✗ ${what} failed:\n${indent(`${result.stdout}\n${result.stderr}`)}`);
      log('Nothing was deployed.');
      return 1;
    }
  }

  step(`Checking ${name}'s secrets`);
  const required = await requiredSecrets(root, env);
  const listed = await runner(['secret', 'list', '--format', 'json', ...envArgs]);
  let existing: string[] = [];
  let workerExists = true;
  if (listed.code === 0) {
    existing = parseNames(listed.stdout);
  } else if (/not found|does not exist|10007/i.test(`${listed.stdout}${listed.stderr}`)) {
    workerExists = false; // a first deploy: the worker has no secrets yet
  } else {
    log(`✗ could not list ${name}'s secrets (are you logged in? npx wrangler login):\n${indent(`${listed.stdout}\n${listed.stderr}`)}`);
    log('Nothing was deployed.');
    return 1;
  }
  const missing = required.filter((s) => !existing.includes(s));
  const unset = missing.filter((s) => !environ[s]);
  if (unset.length) {
    for (const secret of unset) {
      log(`✗ ${secret} is not set on ${name}. It ${SECRET_PURPOSE[secret] ?? 'is listed in [secrets] required'}.`);
      log(`  export ${secret}="$(openssl rand -base64 32)"   # keep the value: the publish command needs it too`);
    }
    log(`Then run npm run deploy${env ? ` -- --env ${env}` : ''} again; it sends ${unset.length === 1 ? 'it' : 'them'} with the deploy. Nothing was deployed.`);
    return 1;
  }
  for (const secret of missing) step(`${secret} will be sent with the deploy`);

  step('Checking the D1 migrations');
  const migrations = await runner(['d1', 'migrations', 'list', 'INDEX', '--remote', ...envArgs]);
  const output = `${migrations.stdout}\n${migrations.stderr}`;
  let firstDeploy = false;
  if (migrations.code !== 0) {
    if (!/couldn't find|could not find|not found|does not exist/i.test(output)) {
      log(`✗ could not read the D1 migrations:\n${indent(output)}`);
      log('Nothing was deployed.');
      return 1;
    }
    firstDeploy = true;
  }
  const pending = firstDeploy ? null : !/no migrations to apply/i.test(output);

  // The MEDIA bucket is named in wrangler.toml (the publish command uploads to it by name): create it when missing.
  step('Checking the MEDIA bucket');
  const bucket = await mediaBucketName(root, env);
  const info = await runner(['r2', 'bucket', 'info', bucket, ...envArgs]);
  let createBucket = false;
  if (info.code !== 0) {
    if (!/not exist|not found|10006/i.test(`${info.stdout}${info.stderr}`)) {
      log(`✗ could not look up the R2 bucket ${bucket}:\n${indent(`${info.stdout}\n${info.stderr}`)}`);
      log('Nothing was deployed.');
      return 1;
    }
    createBucket = true;
  }

  const apply = ['d1', 'migrations', 'apply', 'INDEX', '--remote', ...envArgs];
  const plan: string[] = [];
  if (createBucket) plan.push(`create the R2 bucket ${bucket} (wrangler r2 bucket create ${bucket})`);
  if (pending) plan.push(`apply the pending migrations (wrangler ${apply.join(' ')})`);
  plan.push(`deploy ${name}${firstDeploy || !workerExists ? ', creating its KV namespace and D1 database' : ''}${missing.length ? `, with ${missing.join(' and ')}` : ''}`);
  if (firstDeploy) plan.push('apply every migration to the new database');
  if (dryRun) {
    for (const line of plan) log(`  would ${line}`);
    log('Dry run: nothing was changed.');
    return 0;
  }

  if (createBucket) {
    step(`Creating the R2 bucket ${bucket}`);
    if (!(await ran(runner, ['r2', 'bucket', 'create', bucket, ...envArgs], log))) return 1;
  }
  if (pending) {
    step('Applying the pending migrations');
    if (!(await ran(runner, apply, log))) return 1;
  }
  step(`Deploying ${name}`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-secrets-'));
  try {
    const deployArgs = ['deploy', ...envArgs];
    if (missing.length) {
      const file = path.join(dir, 'secrets.json');
      await writeFile(file, JSON.stringify(Object.fromEntries(missing.map((s) => [s, environ[s]]))), { mode: 0o600 });
      await chmod(file, 0o600);
      deployArgs.push('--secrets-file', file);
    }
    if (!(await ran(runner, deployArgs, log))) return 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (firstDeploy) {
    step('Applying the migrations to the new database');
    if (!(await ran(runner, apply, log))) {
      log('The worker is deployed, but its index has no tables: lists answer 503 until `npm run migrate -- --remote` succeeds.');
      return 1;
    }
  }
  const site = (await configuredVar(root, 'SITE_URL', env)) || 'https://<your site>';
  log(`Deployed. Next:\n  PREVIEW_SECRET=… PURGE_SECRET=… SITE_URL=${site} npm run publish -- --remote${env ? ` --env ${env}` : ''}\n  npm run smoke -- ${site}`);
  return 0;
}

async function ran(runner: WranglerRunner, args: string[], log: (line: string) => void): Promise<boolean> {
  const result = await runner(args);
  if (result.code === 0) return true;
  log(`✗ wrangler ${args.filter((a) => !a.includes(path.sep)).join(' ')} failed:\n${indent(`${result.stdout}\n${result.stderr}`)}`);
  return false;
}

/** `[secrets] required` of the configuration (or of an environment's, which wrangler does not inherit). */
async function requiredSecrets(root: string, env?: string): Promise<string[]> {
  const toml = await readFile(path.join(root, 'wrangler.toml'), 'utf8');
  const header = env ? `[env.${env}.secrets]` : '[secrets]';
  const lines = toml.split('\n');
  const start = lines.findIndex((l) => l.trim() === header);
  if (start === -1) return [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim().startsWith('[')) break;
    const list = /^\s*required\s*=\s*\[([^\]]*)\]/.exec(line)?.[1];
    if (list !== undefined) return [...list.matchAll(/"([A-Z0-9_]+)"/g)].map((m) => m[1]!);
  }
  return [];
}

function parseNames(stdout: string): string[] {
  try {
    const list = JSON.parse(stdout.slice(stdout.indexOf('['))) as { name: string }[];
    return list.map((s) => s.name);
  } catch {
    return [];
  }
}

function indent(text: string): string {
  return text.trim().split('\n').map((l) => `    ${l}`).join('\n');
}

/** The project's own TypeScript compiler over one project file. */
function projectTypecheck(root: string): (project: string) => Promise<WranglerResult> {
  const require = createRequire(path.join(root, 'package.json'));
  const pkg = require.resolve('typescript/package.json');
  const bin = path.join(path.dirname(pkg), (require(pkg) as { bin: Record<string, string> }).bin.tsc!);
  return (project) => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '-p', project], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

if (import.meta.filename === process.argv[1]) {
  const root = path.resolve(import.meta.dirname, '..', '..');
  let values: { env?: string; 'dry-run'?: boolean };
  try {
    ({ values } = parseArgs({ options: { env: { type: 'string' }, 'dry-run': { type: 'boolean' } } }));
  } catch (error) {
    console.error(`deploy: ${error instanceof Error ? error.message : error}\nusage: npm run deploy -- [--env staging] [--dry-run]`);
    process.exit(2);
  }
  if (values.env !== undefined && !/^[a-z0-9-]+$/.test(values.env)) {
    console.error(`deploy: --env must name an environment of wrangler.toml, such as staging`);
    process.exit(2);
  }
  process.exitCode = await deploy({
    root, ...(values.env && { env: values.env }), dryRun: values['dry-run'] === true,
    runner: projectWrangler(root), typecheck: projectTypecheck(root), environ: process.env, log: (l) => console.log(l),
  });
}
