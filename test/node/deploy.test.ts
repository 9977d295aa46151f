// npm run deploy, checked without Cloudflare: the real checks (types, tsc,
// wrangler deploy --dry-run, for production and staging) against this
// checkout, and the remote steps against a stand-in for wrangler that answers
// as a new account, an existing one, or one with a secret missing. What runs,
// in what order, and what an editor is told.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploy, type DeployOptions } from '../../src/cli/deploy.ts';
import { projectWrangler, type WranglerResult } from '../../src/cli/wrangler.ts';
import { ROOT } from '../../support/worker-server.ts';

const ok = (stdout = ''): WranglerResult => ({ code: 0, stdout, stderr: '' });
const fail = (stderr: string): WranglerResult => ({ code: 1, stdout: '', stderr });

/** A wrangler that answers remote questions as `account` would, and records every command. */
function standIn(account: { secrets: string[] | null; database: 'missing' | 'current' | 'pending'; bucket?: 'missing' }) {
  const commands: string[][] = [];
  const secretFiles: Record<string, string>[] = [];
  const runner = async (args: string[]) => {
    commands.push(args);
    const [a, b, c] = args;
    if (a === 'secret' && b === 'list') {
      return account.secrets === null ? fail('✘ [ERROR] This Worker does not exist on your account. [code: 10007]') : ok(JSON.stringify(account.secrets.map((name) => ({ name, type: 'secret_text' }))));
    }
    if (a === 'r2' && b === 'bucket' && c === 'info' && account.bucket === 'missing') {
      return fail('✘ [ERROR] The specified bucket does not exist. [code: 10006]');
    }
    if (a === 'd1' && b === 'migrations' && c === 'list') {
      if (account.database === 'missing') return fail("✘ [ERROR] Couldn't find a D1 DB with the name or binding 'INDEX' in your wrangler.toml file.");
      return ok(account.database === 'current' ? '✅ No migrations to apply!' : 'Migrations to be applied:\n│ 0004_revisions_and_anchors.sql │');
    }
    if (a === 'deploy' && !args.includes('--dry-run')) {
      const file = args[args.indexOf('--secrets-file') + 1];
      if (args.includes('--secrets-file')) secretFiles.push(JSON.parse(await readFile(file!, 'utf8')));
      return ok('Deployed broadsheet');
    }
    return ok();
  };
  const steps = () => commands.map((args) => args.filter((x) => !x.startsWith('/') && x !== '--env' && x !== '').slice(0, 4).join(' '));
  return { runner, commands, steps, secretFiles };
}

const typecheckOk = async () => ok();

function run(options: Partial<DeployOptions> & Pick<DeployOptions, 'runner'>) {
  const lines: string[] = [];
  return deploy({ root: ROOT, typecheck: typecheckOk, environ: {}, log: (l) => lines.push(l), ...options }).then((code) => ({ code, output: lines.join('\n') }));
}

describe('npm run deploy', () => {
  it('on a new account: checks, sends the secrets with the first deploy, which creates the database, then migrates it', async () => {
    const account = standIn({ secrets: null, database: 'missing', bucket: 'missing' });
    const { code, output } = await run({ runner: account.runner, environ: { PREVIEW_SECRET: 'p', PURGE_SECRET: 'q' } });
    expect(code, output).toBe(0);
    expect(account.steps()).toEqual([
      'types --include-runtime=false --strict-vars=false --check', 'deploy --dry-run --outdir', 'secret list --format json',
      'd1 migrations list INDEX', 'r2 bucket info broadsheet-media', 'r2 bucket create broadsheet-media', 'deploy --secrets-file', 'd1 migrations apply INDEX',
    ]);
    expect(account.secretFiles).toEqual([{ PREVIEW_SECRET: 'p', PURGE_SECRET: 'q' }]);
    expect(output).toContain('npm run smoke --');
  });

  it('on an existing deployment: applies pending migrations before the deploy, and sends no secret it already has', async () => {
    const account = standIn({ secrets: ['PREVIEW_SECRET', 'PURGE_SECRET'], database: 'pending' });
    const { code } = await run({ runner: account.runner });
    expect(code).toBe(0);
    expect(account.steps().slice(-4)).toEqual(['d1 migrations list INDEX', 'r2 bucket info broadsheet-media', 'd1 migrations apply INDEX', 'deploy']);
    expect(account.secretFiles).toEqual([]);
  });

  it('stops before changing anything when a secret is neither on the worker nor in the environment, and says how to set it', async () => {
    const account = standIn({ secrets: ['PREVIEW_SECRET'], database: 'current' });
    const { code, output } = await run({ runner: account.runner });
    expect(code).toBe(1);
    expect(output).toContain('✗ PURGE_SECRET is not set on the worker. It signs purge requests');
    expect(output).toContain('export PURGE_SECRET="$(openssl rand -base64 32)"');
    expect(output).not.toContain('PREVIEW_SECRET is not set');
    expect(account.steps().filter((s) => s.startsWith('deploy') && !s.includes('--dry-run'))).toEqual([]);
    expect(account.steps().some((s) => s.includes('migrations apply'))).toBe(false);
  });

  it('stops before anything remote when a check fails', async () => {
    const account = standIn({ secrets: [], database: 'current' });
    const { code, output } = await run({ runner: account.runner, typecheck: async () => fail('src/index.ts(1,1): error TS1005') });
    expect(code).toBe(1);
    expect(output).toMatch(/TypeScript: the worker failed:[^]*TS1005[^]*Nothing was deployed/);
    expect(account.steps().some((s) => s.startsWith('secret') || s.startsWith('d1'))).toBe(false);
  });

  it('says what it would do on a dry run, and changes nothing', async () => {
    const account = standIn({ secrets: null, database: 'missing' });
    const { code, output } = await run({ runner: account.runner, dryRun: true, environ: { PREVIEW_SECRET: 'p', PURGE_SECRET: 'q' } });
    expect(code).toBe(0);
    expect(output).toContain('would deploy the worker, creating its KV namespace and D1 database, with PREVIEW_SECRET and PURGE_SECRET');
    expect(output).toContain('would apply every migration to the new database');
    expect(account.steps().filter((s) => /^deploy(?! --dry-run)|migrations apply/.test(s))).toEqual([]);
  });

  it('points every command at the staging environment, with its own secrets list', async () => {
    const account = standIn({ secrets: [], database: 'current' });
    const { code } = await run({ runner: account.runner, env: 'staging', environ: { PREVIEW_SECRET: 'p', PURGE_SECRET: 'q' } });
    expect(code).toBe(0);
    for (const args of account.commands.filter((a) => a[0] !== 'types')) expect(args[args.indexOf('--env') + 1], args.join(' ')).toBe('staging');
    expect(account.secretFiles).toEqual([{ PREVIEW_SECRET: 'p', PURGE_SECRET: 'q' }]);
  });

  it('passes its real checks on this checkout, for production and for staging', async () => {
    const wrangler = projectWrangler(ROOT);
    for (const env of [undefined, 'staging']) {
      const checked = await wrangler(['deploy', '--dry-run', '--outdir', path.join(ROOT, 'dist', `check-${env ?? 'production'}`), '--env', env ?? '']);
      expect(checked.code, checked.stderr).toBe(0);
      expect(checked.stdout).toContain(env ? 'broadsheet-index-staging' : 'broadsheet-index');
      expect(`${checked.stdout}${checked.stderr}`).not.toMatch(/WARNING/);
    }
  }, 120_000);
});
