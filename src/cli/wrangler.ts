/**
 * Runs the project's own wrangler (never a global one, never through a shell)
 * with an argument array. Tests inject their own runner, or this one pointed
 * at a temporary state directory.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface WranglerResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout exactly as written, for a command that prints a file (`kv key get`). */
  stdoutBytes?: Buffer;
}

export type WranglerRunner = (args: string[]) => Promise<WranglerResult>;

/** A runner for the wrangler installed in `projectRoot`'s node_modules, run by this Node. */
export function projectWrangler(projectRoot: string): WranglerRunner {
  const require = createRequire(path.join(projectRoot, 'package.json'));
  const bin = path.join(path.dirname(require.resolve('wrangler/package.json')), 'bin', 'wrangler.js');
  return (args) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args], {
        cwd: projectRoot,
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        const stdoutBytes = Buffer.concat(out);
        resolve({ code: code ?? 1, stdout: stdoutBytes.toString('utf8'), stderr, stdoutBytes });
      });
    });
}

/** Where a command writes: local (wrangler dev's state) or the deployed namespace. */
export interface Target {
  remote: boolean;
  /** Local state directory, for tests; wrangler's default when absent. */
  persistTo?: string;
  /** An environment of wrangler.toml (`--env staging`), with its own bindings. */
  env?: string;
}

/** The flags that point a `wrangler kv` command at the target namespace. */
export function targetArgs(target: Target): string[] {
  return ['--binding', 'ARTICLES', ...whereArgs(target)];
}

/** The database and flags that point a `wrangler d1` command at the target index. */
export function indexTargetArgs(target: Target): string[] {
  return ['INDEX', ...whereArgs(target)];
}

function whereArgs(target: Target): string[] {
  const args = [target.remote ? '--remote' : '--local'];
  if (!target.remote && target.persistTo) args.push('--persist-to', target.persistTo);
  if (target.env) args.push('--env', target.env);
  return args;
}

/** Runs wrangler and throws with its own output when it fails. */
export async function runOrThrow(runner: WranglerRunner, args: string[]): Promise<WranglerResult> {
  const result = await runner(args);
  if (result.code !== 0) {
    const output = `${result.stderr}\n${result.stdout}`.trim();
    throw new Error(`wrangler ${args.slice(0, 3).join(' ')} failed (exit ${result.code}):\n${output}`);
  }
  return result;
}

/** Deletes KV keys with one `wrangler kv bulk delete`. */
export async function deleteKvKeys(runner: WranglerRunner, target: Target, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-delete-'));
  try {
    const file = path.join(dir, 'keys.json');
    await writeFile(file, JSON.stringify(keys));
    await runOrThrow(runner, ['kv', 'bulk', 'delete', file, '--force', ...targetArgs(target)]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
