/**
 * A real Varnish for end-to-end tests: Debian's varnishd with its stock
 * built-in VCL and nothing but a backend definition (`-b`), on loopback.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Varnish {
  url: string;
  /** A counter from `varnishstat`, e.g. `MAIN.cache_hit`. */
  stat(name: string): Promise<number>;
  close(): Promise<void>;
}

/** The Varnish VCL the README recommends, taken from the README itself so the two cannot drift. */
export async function readmeVcl(root: string): Promise<string> {
  const readme = await readFile(path.join(root, 'README.md'), 'utf8');
  const vcl = /```vcl\n([^]*?)```/.exec(readme)?.[1];
  if (!vcl) throw new Error('README.md has no ```vcl block');
  return vcl;
}

/** A port nothing is listening on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Starts varnishd in front of `backend` (host:port) and waits until it answers.
 * With `vcl`, that VCL (its `.port` pointed at the backend) replaces the stock
 * built-in one plus `-b`.
 */
export async function startVarnish(backend: string, vcl?: string): Promise<Varnish> {
  const varnishd = await findVarnishd();
  // varnishd creates its own working directory and hands parts of it to its
  // unprivileged users, so give it a fresh path inside a readable parent.
  const parent = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-varnish-'));
  await chmod(parent, 0o755);
  const workdir = path.join(parent, 'varnish');
  const port = await freePort();
  let source = ['-b', backend];
  if (vcl) {
    const [host, backendPort] = backend.split(':');
    const file = path.join(parent, 'site.vcl');
    await writeFile(file, vcl.replace(/\.host = "[^"]*"/, `.host = "${host}"`).replace(/\.port = "\d+"/, `.port = "${backendPort}"`));
    await chmod(file, 0o644);
    source = ['-f', file];
  }
  const child: ChildProcess = spawn(varnishd, [
    '-F', '-a', `127.0.0.1:${port}`, ...source, '-n', workdir, '-s', 'malloc,64m',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`varnishd exited: ${output}`);
    try {
      await fetch(`${url}/robots.txt`);
      break;
    } catch {
      if (i > 100) throw new Error(`varnishd did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    async stat(name) {
      const { stdout } = await run('varnishstat', ['-n', workdir, '-1', '-f', name]);
      const value = new RegExp(`^${name.replace('.', '\\.')}\\s+(\\d+)`, 'm').exec(stdout);
      if (!value) throw new Error(`no ${name} in varnishstat output:\n${stdout}`);
      return Number(value[1]);
    },
    async close() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      await rm(parent, { recursive: true, force: true });
    },
  };
}

async function findVarnishd(): Promise<string> {
  for (const candidate of ['/usr/sbin/varnishd', '/usr/local/sbin/varnishd']) {
    try {
      await run(candidate, ['-V']);
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error('varnishd not found: install it with `apt-get install varnish` (.ci/run does)');
}
